"""Forms for joining, logging in, settings, passwords and leaving."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    Optional,
    Regexp,
    ValidationError,
)

from app.models import CommunityRole, Discipline, MailFrequency
from app.services.accounts.registration import (
    CREDENTIALS_MAX_LENGTH,
    EMAIL_MAX_LENGTH,
    PASSWORD_MAX_LENGTH,
    PASSWORD_MIN_LENGTH,
    Profile,
    find_by_username,
)

ROLE_CHOICES = [
    SelectChoice(CommunityRole.CLIENT.value, "I am or have been a client in counseling or therapy"),
    SelectChoice(
        CommunityRole.PROFESSIONAL.value,
        "I am a professional (counselor, therapist, psychologist, social worker…)",
    ),
    SelectChoice(CommunityRole.READER.value, "Neither — I’m here to read and think"),
]
DISCIPLINE_CHOICES = [SelectChoice("", "Choose your discipline")] + [
    SelectChoice(discipline.value, discipline.label) for discipline in Discipline
]
PASSWORD_LENGTH_MESSAGE = f"Use between {PASSWORD_MIN_LENGTH} and {PASSWORD_MAX_LENGTH} characters."


def _new_password_validators():
    return [
        DataRequired("Choose a password."),
        Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_LENGTH_MESSAGE),
    ]


def _email_field(label):
    return StringField(
        label,
        filters=[lambda value: value.strip() if value else value],
        validators=[
            Optional(),
            Length(max=EMAIL_MAX_LENGTH, message="That e-mail address is too long."),
            Email("Enter an e-mail address such as name@example.org.", check_deliverability=False),
        ],
        render_kw={"type": "email", "autocomplete": "email"},
    )


def _mail_frequency_field(label):
    # Left out of a form, it keeps the member's choice (the form is made from the member).
    return RadioField(
        label,
        choices=[SelectChoice(frequency.value, frequency.label) for frequency in MailFrequency],
        validators=[
            DataRequired("Choose how often, or “Never”."),
            AnyOf([frequency.value for frequency in MailFrequency], "Choose one of the options."),
        ],
        validate_choice=False,
    )


class ProfileFields:
    """Community role with the discipline and credentials that go with being a professional."""

    community_role = RadioField(
        "How do you come to these questions?",
        choices=ROLE_CHOICES,
        validators=[InputRequired("Choose the description that fits you.")],
    )
    discipline = SelectField("Discipline", choices=DISCIPLINE_CHOICES, default="")
    credentials = StringField(
        "Credentials",
        filters=[lambda value: value.strip() if value else value],
        validators=[
            Optional(),
            Length(
                max=CREDENTIALS_MAX_LENGTH,
                message=f"Keep credentials to {CREDENTIALS_MAX_LENGTH} characters or fewer.",
            ),
        ],
        render_kw={"placeholder": "e.g. LMHC, LPC", "autocomplete": "off"},
    )

    def validate_discipline(self, field):
        if self.community_role.data == CommunityRole.PROFESSIONAL.value and not field.data:
            raise ValidationError("Choose your discipline.")

    def profile(self) -> Profile:
        role = CommunityRole(self.community_role.data)
        return Profile(
            role,
            Discipline(self.discipline.data) if self.discipline.data else None,
            self.credentials.data,
        )


class RegisterForm(ProfileFields, FlaskForm):
    username = StringField(
        "Username",
        filters=[lambda value: value.strip() if value else value],
        validators=[
            DataRequired("Choose a username."),
            Length(3, 30, "Use between 3 and 30 characters."),
            Regexp(
                r"^[A-Za-z0-9_-]+$",
                message="Use only letters, digits, underscores (_) and hyphens (-).",
            ),
        ],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    email = _email_field("Email (optional)")
    password = PasswordField(
        "Password",
        validators=_new_password_validators(),
        render_kw={"autocomplete": "new-password"},
    )
    show_role_badge = BooleanField("Show my role on my comments", default=False)

    # The service checks again when it saves; checking here shows every problem at once.
    def validate_username(self, field):
        if find_by_username(field.data) is not None:
            raise ValidationError("That username is taken. Please choose another.")


class LoginForm(FlaskForm):
    username = StringField(
        "Username",
        validators=[DataRequired("Enter your username.")],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        "Password",
        validators=[DataRequired("Enter your password.")],
        render_kw={"autocomplete": "current-password"},
    )
    remember_me = BooleanField("Remember me")


class SettingsForm(ProfileFields, FlaskForm):
    show_role_badge = BooleanField("Show my community role on my comments")
    show_verified_badge = BooleanField("Show the “Verified professional” badge on my comments")
    show_stance = BooleanField("Show my poll answer on my comments")
    email = _email_field("Email (optional)")
    reply_emails = _mail_frequency_field("E-mail me about replies to my comments")
    follow_emails = _mail_frequency_field("E-mail me about new comments on articles I follow")
    follow_on_comment = BooleanField("Follow the articles I comment on")


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField(
        "New password",
        validators=_new_password_validators(),
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        "Repeat the new password",
        validators=[
            DataRequired("Repeat the new password."),
            EqualTo("new_password", "The two passwords do not match."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class PasswordForm(ResetPasswordForm):
    """A change of password: the new one twice, as in a reset, and the current one."""

    current_password = PasswordField(
        "Current password",
        validators=[DataRequired("Enter your current password.")],
        render_kw={"autocomplete": "current-password"},
    )


class ConfirmAddressForm(FlaskForm):
    """Only the button: the address and the member come from the signed link."""


class ResetRequestForm(FlaskForm):
    identifier = StringField(
        "Username or email",
        validators=[
            DataRequired("Enter your username or e-mail address."),
            Length(max=EMAIL_MAX_LENGTH, message="That is too long to be a username or address."),
        ],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        "Your password",
        validators=[DataRequired("Enter your password to confirm.")],
        render_kw={"autocomplete": "current-password"},
    )
    comments = RadioField(
        "What should happen to your comments?",
        choices=[
            SelectChoice("remove", "Remove my comments (replies from others stay)"),
            SelectChoice("keep", "Keep my comments as [deleted user], without my name"),
        ],
        validators=[InputRequired("Choose what happens to your comments.")],
    )


class LanguageForm(FlaskForm):
    """The footer's choice of language, for readers and members alike."""

    language = SelectField("Language", validators=[InputRequired()])

    def __init__(self, *args, **kwargs):
        from app.i18n import LANGUAGE_NAMES, languages

        super().__init__(*args, **kwargs)
        self.language.choices = [(code, LANGUAGE_NAMES.get(code, code)) for code in languages()]
