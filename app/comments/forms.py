"""Forms for writing, replying to, editing and deleting comments."""

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import InputRequired


class CommentForm(FlaskForm):
    body = TextAreaField("Comment", validators=[InputRequired("Write something before posting.")])


class ReplyForm(FlaskForm):
    body = TextAreaField("Reply", validators=[InputRequired("Write something before posting.")])


class EditCommentForm(FlaskForm):
    body = TextAreaField("Comment", validators=[InputRequired("Write something before saving.")])


class DeleteCommentForm(FlaskForm):
    """Only the CSRF token: the confirmation is the button itself."""
