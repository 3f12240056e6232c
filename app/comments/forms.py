"""Forms for writing, replying to, editing and deleting comments."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired


class CommentForm(FlaskForm):
    body = TextAreaField(
        _l("Comment"), validators=[InputRequired(_l("Write something before posting."))]
    )


class ReplyForm(FlaskForm):
    body = TextAreaField(
        _l("Reply"), validators=[InputRequired(_l("Write something before posting."))]
    )


class EditCommentForm(FlaskForm):
    body = TextAreaField(
        _l("Comment"), validators=[InputRequired(_l("Write something before saving."))]
    )


class DeleteCommentForm(FlaskForm):
    """Only the CSRF token: the confirmation is the button itself."""
