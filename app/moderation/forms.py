"""Forms for staff actions and for members' reports, appeals and verification requests."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from app.accounts.forms import label_of
from app.models import ReportReason, StaffLevel
from app.services.moderation.wording import REMOVAL_RULES

STAFF_LEVEL_LABELS = {
    StaffLevel.MEMBER: _l("Member"),
    StaffLevel.MODERATOR: _l("Moderator"),
    StaffLevel.EDITOR: _l("Editor"),
    StaffLevel.ADMIN: _l("Admin"),
}


class RemoveForm(FlaskForm):
    rule = SelectField(
        _l("Rule broken"),
        choices=[SelectChoice(rule, label) for rule, label in REMOVAL_RULES.items()],
        validators=[DataRequired()],
    )
    note = StringField(
        _l("Note to the author (optional)"), validators=[Optional(), Length(max=300)]
    )

    def reason(self) -> str:
        note = (self.note.data or "").strip()
        return f"{self.rule.data}: {note}" if note else self.rule.data


class ReasonForm(FlaskForm):
    reason = StringField(
        _l("Reason"), validators=[DataRequired(message=_l("Give a reason.")), Length(max=500)]
    )


class OptionalReasonForm(FlaskForm):
    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=500)])


class SuspendForm(ReasonForm):
    until = DateField(
        _l("Suspended until"), validators=[DataRequired(message=_l("Pick an end date."))]
    )


class StaffLevelForm(OptionalReasonForm):
    level = SelectField(
        _l("Staff level"),
        choices=[SelectChoice(level.value, STAFF_LEVEL_LABELS[level]) for level in StaffLevel],
    )


class BannedWordForm(FlaskForm):
    word = StringField(
        _l("Word or phrase"),
        validators=[DataRequired(message=_l("Enter a word or phrase.")), Length(max=80)],
    )


class ReportForm(FlaskForm):
    reason = RadioField(
        _l("Why are you reporting this comment?"),
        choices=[SelectChoice(reason.value, label_of(reason)) for reason in ReportReason],
        validators=[DataRequired(message=_l("Choose a reason."))],
    )
    note = TextAreaField(_l("Note for the moderators"), validators=[Optional(), Length(max=1000)])


class AppealForm(FlaskForm):
    text = TextAreaField(
        _l("Why should the comment be restored?"),
        validators=[DataRequired(message=_l("Explain your appeal.")), Length(max=2000)],
    )


class VerificationForm(FlaskForm):
    licence_type = StringField(
        _l("Licence or credential type"),
        validators=[DataRequired(message=_l("Enter the type of licence.")), Length(max=80)],
    )
    licence_number = StringField(
        _l("Licence number"),
        validators=[DataRequired(message=_l("Enter the licence number.")), Length(max=80)],
    )
    jurisdiction = StringField(
        _l("Jurisdiction (state, province or country)"),
        validators=[
            DataRequired(message=_l("Enter where the licence was issued.")),
            Length(max=120),
        ],
    )
    note = TextAreaField(
        _l("Note for the moderators (optional)"), validators=[Optional(), Length(max=1000)]
    )
