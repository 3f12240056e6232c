"""Filters and globals shared by every template."""

from datetime import UTC, datetime

from babel import dates
from flask import current_app, request, url_for
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape
from werkzeug.routing import BuildError

from app.dates import format_date, format_datetime, format_number, reader_locale
from app.i18n import current_language
from app.links import external_url
from app.models import as_utc, iso_utc
from app.models.users import StaffLevel
from app.services.articles.languages import is_right_to_left
from app.services.moderation import wording
from app.services.moderation.crisis import crisis_resources

# The configured tagline is shown through the catalogue; the default one is marked here.
DEFAULT_TAGLINE = _l("Questions of ethics between clients and the people who help them")


def iso(value: datetime | None) -> str:
    return iso_utc(value, timespec="seconds") or ""


def pluralize(count: int, singular: str, plural: str | None = None) -> str:
    """`3|pluralize("comment")` gives "3 comments"; irregular plurals are passed in."""
    word = singular if count == 1 else (plural or singular + "s")
    return f"{format_number(count)} {word}"


def time_ago(value: datetime | None, now: datetime | None = None) -> str:
    """A time as "5 hours ago" ("hace 5 horas"): in whole units, the largest that fits."""
    if value is None:
        return ""
    now = now or datetime.now(UTC)
    delta = as_utc(value) - now
    if abs(delta.total_seconds()) < 60:
        return gettext("just now")
    return dates.format_timedelta(delta, threshold=1, add_direction=True, locale=reader_locale())


def from_iso(value: str | None) -> datetime | None:
    """A moment kept as ISO 8601 text (as audit-log details keep it); None if it is not one."""
    try:
        return datetime.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def time_tag(value: datetime | None, style: str = "date") -> Markup:
    """A <time> element: readable text, machine-readable datetime, exact date on hover.

    style is "date" (12 March 2025), "datetime" (with the time) or "ago" (3 days ago).
    """
    if value is None:
        return Markup("")
    if style == "ago":
        text, title = time_ago(value), format_datetime(value)
    elif style == "datetime":
        text, title = format_datetime(value), None
    else:
        text, title = format_date(value), format_datetime(value)
    title_attr = Markup(' title="{}"').format(title) if title else ""
    return Markup('<time datetime="{}"{}>{}</time>').format(iso(value), title_attr, escape(text))


def written_in(language: str) -> Markup:
    """The attributes that mark a text written in `language` (an article's, its poll's): none
    when the page is in that language already, `lang` (and `dir` for a right-to-left script)
    when it is not."""
    if not language or language == current_language():
        return Markup("")
    direction = ' dir="rtl"' if is_right_to_left(language) else ""
    return Markup(' lang="{}"{}').format(language, Markup(direction))


def in_language(text: str, language: str) -> Markup:
    """`text` (an article's title, within a sentence of the page) marked with its language
    where the page is in another."""
    marks = written_in(language)
    return Markup("<span{}>{}</span>").format(marks, text) if marks else escape(text)


def canonical_url() -> str:
    """The page's own address on the configured scheme, keeping only the page number."""
    if request.endpoint and request.url_rule is not None:
        args = dict(request.view_args or {})
        page = request.args.get("page", type=int)
        if page and page > 1:
            args["page"] = page
        try:
            return external_url(request.endpoint, **args)
        except BuildError:
            pass
    base = current_app.config.get("BASE_URL")
    return base + request.path if base else request.base_url


def comment_url(comment_id: int) -> str:
    """The page that shows a comment in its thread, scrolled to the comment."""
    return url_for("comments.permalink", comment_id=comment_id, _anchor=f"c{comment_id}")


def register(app):
    app.add_template_filter(format_date, "date")
    app.add_template_filter(format_datetime, "datetime")
    app.add_template_filter(iso, "iso")
    app.add_template_filter(from_iso, "from_iso")
    app.add_template_filter(format_number, "number")
    app.add_template_filter(pluralize, "pluralize")
    app.add_template_filter(time_ago, "ago")
    app.add_template_filter(time_tag, "time_tag")
    app.add_template_filter(wording.removal_reason_text, "removal_reason")
    app.add_template_filter(wording.pending_reason_text, "pending_reason")
    app.add_template_filter(wording.action_text, "log_action")
    app.add_template_filter(wording.target_text, "log_target")
    app.add_template_global(canonical_url, "canonical_url")
    app.add_template_global(comment_url, "comment_url")
    app.add_template_global(crisis_resources, "crisis_resources")
    app.add_template_global(StaffLevel, "StaffLevel")
    app.add_template_global(written_in, "written_in")
    app.add_template_global(in_language, "in_language")

    @app.context_processor
    def inject_site():
        return {
            "site_name": current_app.config["SITE_NAME"],
            "site_tagline": gettext(current_app.config["SITE_TAGLINE"]),
            "min_group_size": current_app.config["MIN_GROUP_SIZE"],
        }
