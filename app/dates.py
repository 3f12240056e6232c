"""Dates and numbers as the reader's language writes them, for pages and for messages that
services compose (which may not use the templating layer)."""

from datetime import date, datetime

from babel import Locale, dates, numbers
from flask_babel import get_locale

from app.models import as_utc

ENGLISH = Locale("en")
# English keeps the site's "12 March 2025"; other languages take their own long form
# ("12 de marzo de 2025").
ENGLISH_DATE = "d MMMM y"


def reader_locale() -> Locale:
    """The reader's language; English outside an application (as in a plain unit test)."""
    return get_locale() or ENGLISH


def format_date(value: datetime | None) -> str:
    if value is None:
        return ""
    return format_day(as_utc(value).date())


def format_day(day: date) -> str:
    """A calendar day, as format_date writes a moment's: "3 March 2025", "3 de marzo de 2025"."""
    locale = reader_locale()
    pattern = ENGLISH_DATE if locale.language == "en" else "long"
    return dates.format_date(day, pattern, locale=locale)


def format_month(day: date) -> str:
    """The month a day falls in: "March 2025", "marzo de 2025"."""
    return dates.format_skeleton("yMMMM", day, locale=reader_locale())


def format_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    clock = dates.format_time(as_utc(value), "HH:mm", locale=reader_locale())
    return f"{format_date(value)}, {clock} UTC"


def format_number(value: int | float) -> str:
    return numbers.format_decimal(value, locale=reader_locale())
