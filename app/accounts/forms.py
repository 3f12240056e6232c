"""Forms for joining, logging in, settings, passwords and leaving."""

from flask_babel import LazyString, gettext
from flask_babel import lazy_gettext as _l
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


def label_of(choice) -> LazyString:
    """An enum's English label, translated when shown (the models mark their labels)."""
    return LazyString(lambda: gettext(choice.label))


# The models' labels that no form or page words for itself, marked here so that the catalogue
# has them: label_of and the templates translate a label by its English words.
MODEL_LABELS = (
    _l("At once, one e-mail each"),
    _l("In a daily digest"),
    _l("In a weekly digest"),
    _l("Never"),
    _l("replies to your comments"),
    _l("new comments on articles you follow"),
    _l("Harassment or abuse"),
)


ROLE_CHOICES = [
    SelectChoice(
        CommunityRole.CLIENT.value, _l("I am or have been a client in counseling or therapy")
    ),
    SelectChoice(
        CommunityRole.PROFESSIONAL.value,
        _l("I am a professional (counselor, therapist, psychologist, social worker…)"),
    ),
    SelectChoice(CommunityRole.READER.value, _l("Neither — I’m here to read and think")),
]
DISCIPLINE_CHOICES = [SelectChoice("", _l("Choose your discipline"))] + [
    SelectChoice(discipline.value, label_of(discipline)) for discipline in Discipline
]
PASSWORD_LENGTH_MESSAGE = _l(
    "Use between %(min)s and %(max)s characters.", min=PASSWORD_MIN_LENGTH, max=PASSWORD_MAX_LENGTH
)


def _new_password_validators():
    return [
        DataRequired(_l("Choose a password.")),
        Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_LENGTH_MESSAGE),
    ]


def _email_field(label):
    return StringField(
        label,
        filters=[lambda value: value.strip() if value else value],
        validators=[
            Optional(),
            Length(max=EMAIL_MAX_LENGTH, message=_l("That e-mail address is too long.")),
            Email(
                _l("Enter an e-mail address such as name@example.org."), check_deliverability=False
            ),
        ],
        render_kw={"type": "email", "autocomplete": "email"},
    )


def _mail_frequency_field(label):
    # Left out of a form, it keeps the member's choice (the form is made from the member).
    return RadioField(
        label,
        choices=[SelectChoice(frequency.value, label_of(frequency)) for frequency in MailFrequency],
        validators=[
            DataRequired(_l("Choose how often, or “Never”.")),
            AnyOf(
                [frequency.value for frequency in MailFrequency], _l("Choose one of the options.")
            ),
        ],
        validate_choice=False,
    )


class ProfileFields:
    """Community role with the discipline and credentials that go with being a professional."""

    community_role = RadioField(
        _l("How do you come to these questions?"),
        choices=ROLE_CHOICES,
        validators=[InputRequired(_l("Choose the description that fits you."))],
    )
    discipline = SelectField(_l("Discipline"), choices=DISCIPLINE_CHOICES, default="")
    credentials = StringField(
        _l("Credentials"),
        filters=[lambda value: value.strip() if value else value],
        validators=[
            Optional(),
            Length(
                max=CREDENTIALS_MAX_LENGTH,
                message=_l(
                    "Keep credentials to %(max)s characters or fewer.",
                    max=CREDENTIALS_MAX_LENGTH,
                ),
            ),
        ],
        render_kw={"placeholder": _l("e.g. LMHC, LPC"), "autocomplete": "off"},
    )

    def validate_discipline(self, field):
        if self.community_role.data == CommunityRole.PROFESSIONAL.value and not field.data:
            raise ValidationError(_l("Choose your discipline."))

    def profile(self) -> Profile:
        role = CommunityRole(self.community_role.data)
        return Profile(
            role,
            Discipline(self.discipline.data) if self.discipline.data else None,
            self.credentials.data,
        )


class RegisterForm(ProfileFields, FlaskForm):
    username = StringField(
        _l("Username"),
        filters=[lambda value: value.strip() if value else value],
        validators=[
            DataRequired(_l("Choose a username.")),
            Length(3, 30, _l("Use between 3 and 30 characters.")),
            Regexp(
                r"^[A-Za-z0-9_-]+$",
                message=_l("Use only letters, digits, underscores (_) and hyphens (-)."),
            ),
        ],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    email = _email_field(_l("Email (optional)"))
    password = PasswordField(
        _l("Password"),
        validators=_new_password_validators(),
        render_kw={"autocomplete": "new-password"},
    )
    show_role_badge = BooleanField(_l("Show my role on my comments"), default=False)

    # The service checks again when it saves; checking here shows every problem at once.
    def validate_username(self, field):
        if find_by_username(field.data) is not None:
            raise ValidationError(_l("That username is taken. Please choose another."))


class LoginForm(FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(_l("Enter your username."))],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    remember_me = BooleanField(_l("Remember me"))


class SettingsForm(ProfileFields, FlaskForm):
    show_role_badge = BooleanField(_l("Show my community role on my comments"))
    show_verified_badge = BooleanField(_l("Show the “Verified professional” badge on my comments"))
    show_stance = BooleanField(_l("Show my poll answer on my comments"))
    email = _email_field(_l("Email (optional)"))
    reply_emails = _mail_frequency_field(_l("E-mail me about replies to my comments"))
    follow_emails = _mail_frequency_field(_l("E-mail me about new comments on articles I follow"))
    follow_on_comment = BooleanField(_l("Follow the articles I comment on"))


class ResetPasswordForm(FlaskForm):
    new_password = PasswordField(
        _l("New password"),
        validators=_new_password_validators(),
        render_kw={"autocomplete": "new-password"},
    )
    confirm_password = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(_l("Repeat the new password.")),
            EqualTo("new_password", _l("The two passwords do not match.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class PasswordForm(ResetPasswordForm):
    """A change of password: the new one twice, as in a reset, and the current one."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )


class ConfirmAddressForm(FlaskForm):
    """Only the button: the address and the member come from the signed link."""


class ResetRequestForm(FlaskForm):
    identifier = StringField(
        _l("Username or email"),
        validators=[
            DataRequired(_l("Enter your username or e-mail address.")),
            Length(
                max=EMAIL_MAX_LENGTH, message=_l("That is too long to be a username or address.")
            ),
        ],
        render_kw={"autocomplete": "username", "autocapitalize": "none", "spellcheck": "false"},
    )


class DeleteAccountForm(FlaskForm):
    password = PasswordField(
        _l("Your password"),
        validators=[DataRequired(_l("Enter your password to confirm."))],
        render_kw={"autocomplete": "current-password"},
    )
    comments = RadioField(
        _l("What should happen to your comments?"),
        choices=[
            SelectChoice("remove", _l("Remove my comments (replies from others stay)")),
            SelectChoice("keep", _l("Keep my comments as [deleted user], without my name")),
        ],
        validators=[InputRequired(_l("Choose what happens to your comments."))],
    )


class LanguageForm(FlaskForm):
    """The footer's choice of language, for readers and members alike."""

    language = SelectField(_l("Language"), validators=[InputRequired()])

    def __init__(self, *args, **kwargs):
        from app.i18n import LANGUAGE_NAMES, languages

        super().__init__(*args, **kwargs)
        self.language.choices = [(code, LANGUAGE_NAMES.get(code, code)) for code in languages()]
