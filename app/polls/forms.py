"""The voting form, built for each poll: radios or checkboxes, and a role for anonymous readers."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from app.models import CommunityRole, PollKind
from app.services.polls.voting import UnknownOption

ROLE_CHOICES = [
    SelectChoice(
        CommunityRole.CLIENT.value, _l("I am or have been a client in counseling or therapy")
    ),
    SelectChoice(CommunityRole.PROFESSIONAL.value, _l("I am a professional who helps clients")),
    SelectChoice(CommunityRole.READER.value, _l("Neither")),
]


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class VoteForm(FlaskForm):
    """Fields are added per poll by `vote_form`; the service checks the answer itself."""

    class Meta:
        # Only shown, never validated: the template puts in the page's token
        # (app/caching/tokens.py) and CSRFProtect checks it. Built with CSRF, the form
        # would start a session for every reader of a page that shows a poll.
        csrf = False


def vote_form(poll, *, ask_role: bool, selected=None, role=None, submit_label=None):
    """A form for `poll`, preselecting a voter's current answer and declared role."""

    class PollVoteForm(VoteForm):
        submit = SubmitField(submit_label or _("Vote"))

    choices = [SelectChoice(option.id, option.label) for option in poll.options]
    if poll.kind is PollKind.MULTIPLE:
        PollVoteForm.option_ids = CheckboxesField(
            _("Choose one or more answers"), choices=choices, coerce=int, validate_choice=False
        )
    else:
        PollVoteForm.option_ids = RadioField(
            _("Choose one answer"), choices=choices, coerce=int, validate_choice=False
        )
    if ask_role:
        PollVoteForm.role = RadioField(
            _("Which describes you?"), choices=ROLE_CHOICES, validate_choice=False
        )
    selected = list(selected or [])
    data = {
        "option_ids": selected if poll.kind is PollKind.MULTIPLE else next(iter(selected), None)
    }
    if ask_role:
        data["role"] = role
    return PollVoteForm(formdata=None, data=data)


def option_ids_from(values: list[str]) -> list[int]:
    """The answers a vote form sent, as option ids."""
    try:
        return [int(value) for value in values]
    except ValueError:
        raise UnknownOption(_("That answer is not one of this poll's options.")) from None
