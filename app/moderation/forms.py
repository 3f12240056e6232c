"""Forms for staff actions and for members' reports, appeals and verification requests."""

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

from app.models import ReportReason, StaffLevel

REMOVAL_RULES = [
    "Spam or advertising",
    "Harassment or personal attacks",
    "Reveals someone's identity or private health information",
    "Off-topic",
    "Clinical advice or a diagnosis of another person",
    "Other",
]


class RemoveForm(FlaskForm):
    rule = SelectField(
        "Rule broken",
        choices=[SelectChoice(rule, rule) for rule in REMOVAL_RULES],
        validators=[DataRequired()],
    )
    note = StringField("Note to the author (optional)", validators=[Optional(), Length(max=300)])

    def reason(self) -> str:
        note = (self.note.data or "").strip()
        return f"{self.rule.data}: {note}" if note else self.rule.data


class ReasonForm(FlaskForm):
    reason = StringField(
        "Reason", validators=[DataRequired(message="Give a reason."), Length(max=500)]
    )


class OptionalReasonForm(FlaskForm):
    reason = StringField("Reason (optional)", validators=[Optional(), Length(max=500)])


class SuspendForm(ReasonForm):
    until = DateField("Suspended until", validators=[DataRequired(message="Pick an end date.")])


class StaffLevelForm(OptionalReasonForm):
    level = SelectField(
        "Staff level",
        choices=[SelectChoice(level.value, level.value.title()) for level in StaffLevel],
    )


class BannedWordForm(FlaskForm):
    word = StringField(
        "Word or phrase",
        validators=[DataRequired(message="Enter a word or phrase."), Length(max=80)],
    )


class ReportForm(FlaskForm):
    reason = RadioField(
        "Why are you reporting this comment?",
        choices=[SelectChoice(reason.value, reason.label) for reason in ReportReason],
        validators=[DataRequired(message="Choose a reason.")],
    )
    note = TextAreaField("Note for the moderators", validators=[Optional(), Length(max=1000)])


class AppealForm(FlaskForm):
    text = TextAreaField(
        "Why should the comment be restored?",
        validators=[DataRequired(message="Explain your appeal."), Length(max=2000)],
    )


class VerificationForm(FlaskForm):
    licence_type = StringField(
        "Licence or credential type",
        validators=[DataRequired(message="Enter the type of licence."), Length(max=80)],
    )
    licence_number = StringField(
        "Licence number",
        validators=[DataRequired(message="Enter the licence number."), Length(max=80)],
    )
    jurisdiction = StringField(
        "Jurisdiction (state, province or country)",
        validators=[DataRequired(message="Enter where the licence was issued."), Length(max=120)],
    )
    note = TextAreaField(
        "Note for the moderators (optional)", validators=[Optional(), Length(max=1000)]
    )
