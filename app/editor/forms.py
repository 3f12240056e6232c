"""Forms editors fill in: an article with its poll, a publication time, an author profile."""

from datetime import UTC

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from app.i18n import current_language
from app.models import PollKind, ResultsVisibility, as_utc
from app.services.articles import ArticleError, languages
from app.services.articles.embedding import parse_origins
from app.services.articles.writing import (
    MAX_OPTION_LENGTH,
    MAX_POLL_OPTIONS,
    MAX_TAGS,
    MIN_POLL_OPTIONS,
    PollSpec,
)

# Browsers send datetime-local values without seconds unless a step asks for them.
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
MAX_BODY_LENGTH = 100_000
MAX_TAG_LENGTH = 40

RESULTS_CHOICES = [
    SelectChoice(ResultsVisibility.ALWAYS.value, _l("Always")),
    SelectChoice(ResultsVisibility.AFTER_VOTE.value, _l("After voting")),
    SelectChoice(ResultsVisibility.AFTER_CLOSE.value, _l("After the poll closes")),
]


def split_lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def split_tags(text: str | None) -> list[str]:
    return [name.strip() for name in (text or "").split(",") if name.strip()]


class ArticleForm(FlaskForm):
    title = StringField(_l("Title"), [DataRequired(_l("Enter a title.")), Length(max=200)])
    slug = StringField(_l("Slug"), [Optional(), Length(max=100)])
    summary = TextAreaField(
        _l("Summary"), [DataRequired(_l("Write a short summary for teasers.")), Length(max=500)]
    )
    body = TextAreaField(
        _l("Body (Markdown)"), [DataRequired(_l("Write the article.")), Length(max=MAX_BODY_LENGTH)]
    )
    author = SelectField(_l("Author"), coerce=int, validate_choice=True)
    language = SelectField(_l("Language of the article"), validate_choice=True)
    tags = StringField(_l("Tags"), [Optional(), Length(max=400)])

    poll_question = StringField(_l("Question"), [Optional(), Length(max=300)])
    poll_options = TextAreaField(_l("Options"), [Optional(), Length(max=2000)])
    poll_multiple = BooleanField(_l("Multiple choice"))
    poll_anonymous = BooleanField(_l("Allow anonymous votes"))
    poll_results = SelectField(
        _l("Show results"), choices=RESULTS_CHOICES, default=ResultsVisibility.ALWAYS.value
    )
    poll_opens_at = DateTimeLocalField(_l("Opens at (UTC)"), [Optional()], format=DATETIME_FORMATS)
    poll_closes_at = DateTimeLocalField(
        _l("Closes at (UTC)"), [Optional()], format=DATETIME_FORMATS
    )
    embed_origins = TextAreaField(
        _l("Sites that may embed the poll"), [Optional(), Length(max=6000)]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        reader = current_language()
        self.language.choices = [
            SelectChoice(code, name) for code, name in languages.language_choices(reader)
        ]
        if self.language.data is None:
            self.language.data = reader  # a new article: the language its editor reads

    def validate_tags(self, field):
        names = split_tags(field.data)
        if len({name.casefold() for name in names}) > MAX_TAGS:
            raise ValidationError(_("Use at most %(num)s tags.", num=MAX_TAGS))
        if any(len(name) > MAX_TAG_LENGTH for name in names):
            raise ValidationError(_("Keep each tag under %(num)s characters.", num=MAX_TAG_LENGTH))

    def validate(self, extra_validators=None):
        valid = super().validate(extra_validators)
        # An empty question stops its own validators, so this check sits here.
        if not (self.poll_question.data or "").strip() and split_lines(self.poll_options.data):
            self.poll_question.errors.append(
                _("Add a question, or clear the options to have no poll.")
            )
            valid = False
        return valid

    def validate_poll_options(self, field):
        if not (self.poll_question.data or "").strip():
            return
        labels = split_lines(field.data)
        if not MIN_POLL_OPTIONS <= len(labels) <= MAX_POLL_OPTIONS:
            raise ValidationError(
                _(
                    "Give between %(min)s and %(max)s options, one per line.",
                    min=MIN_POLL_OPTIONS,
                    max=MAX_POLL_OPTIONS,
                )
            )
        if any(len(label) > MAX_OPTION_LENGTH for label in labels):
            raise ValidationError(
                _("Keep each option under %(num)s characters.", num=MAX_OPTION_LENGTH)
            )
        if len({label.casefold() for label in labels}) != len(labels):
            raise ValidationError(_("Each option must be different."))

    def validate_embed_origins(self, field):
        try:
            field.data = "\n".join(parse_origins(split_lines(field.data)))
        except ArticleError as error:
            raise ValidationError(error.message) from None

    def validate_poll_closes_at(self, field):
        opens = self.poll_opens_at.data
        if field.data and opens and field.data <= opens:
            raise ValidationError(_("The poll must close after it opens."))

    def poll_spec(self) -> PollSpec | None:
        if not (self.poll_question.data or "").strip():
            return None
        return PollSpec(
            question=self.poll_question.data.strip(),
            options=split_lines(self.poll_options.data),
            kind=PollKind.MULTIPLE if self.poll_multiple.data else PollKind.SINGLE,
            allow_anonymous=self.poll_anonymous.data,
            results_visibility=ResultsVisibility(self.poll_results.data),
            opens_at=as_utc(self.poll_opens_at.data),
            closes_at=as_utc(self.poll_closes_at.data),
        )

    def fill_from(self, article) -> None:
        """Show an article's saved values in the form."""
        self.title.data = article.title
        self.slug.data = article.slug
        self.summary.data = article.summary
        self.body.data = article.body_markdown
        self.author.data = article.author_id
        self.language.data = article.language
        self.tags.data = ", ".join(tag.name for tag in article.tags)
        self.embed_origins.data = "\n".join(article.embedding_origins)
        poll = article.poll
        if poll is None:
            return
        self.poll_question.data = poll.question
        self.poll_options.data = "\n".join(option.label for option in poll.options)
        self.poll_multiple.data = poll.kind is PollKind.MULTIPLE
        self.poll_anonymous.data = poll.allow_anonymous
        self.poll_results.data = poll.results_visibility.value
        self.poll_opens_at.data = _naive(poll.opens_at)
        self.poll_closes_at.data = _naive(poll.closes_at)


def _naive(value):
    """datetime-local inputs show a wall-clock time; ours is UTC."""
    return value.astimezone(UTC).replace(tzinfo=None) if value is not None else None


class ScheduleForm(FlaskForm):
    publish_at = DateTimeLocalField(
        _l("Publish at (UTC)"),
        [InputRequired(_l("Choose when to publish."))],
        format=DATETIME_FORMATS,
    )


class AuthorForm(FlaskForm):
    display_name = StringField(
        _l("Display name"), [DataRequired(_l("Enter the name shown on articles.")), Length(max=120)]
    )
    slug = StringField(_l("Slug"), [Optional(), Length(max=80)])
    organisation = StringField(_l("Organisation"), [Optional(), Length(max=160)])
    location = StringField(_l("Location"), [Optional(), Length(max=120)])
    credentials = StringField(_l("Credentials"), [Optional(), Length(max=120)])
    bio = TextAreaField(_l("Bio"), [Optional(), Length(max=5000)])
