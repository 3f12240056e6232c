"""The languages an article may be written in.

The site speaks a few languages (app/i18n); an article stays in the language it was written in,
which may be one of many more. Pages mark an article's texts with it, so that browsers and
screen readers read each text in its own language, and right-to-left scripts run that way.
"""

from functools import cache

from babel import Locale

# BCP 47 primary language subtags, each a language Babel can name.
ARTICLE_LANGUAGES = (
    "ar", "bn", "cs", "da", "de", "el", "en", "es", "fa", "fi", "fr", "he", "hi", "hu", "id",
    "it", "ja", "ko", "nb", "nl", "pl", "pt", "ro", "ru", "sv", "sw", "th", "tr", "uk", "ur",
    "vi", "zh",
)  # fmt: skip


# PostgreSQL's text search configuration for the languages it stems (each in every supported
# PostgreSQL): an article is indexed with its own language's stems and stop words. Others are
# matched word for word.
PG_TEXT_SEARCH = {
    "da": "danish", "de": "german", "en": "english", "es": "spanish", "fi": "finnish",
    "fr": "french", "hu": "hungarian", "it": "italian", "nb": "norwegian", "nl": "dutch",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sv": "swedish", "tr": "turkish",
}  # fmt: skip
PG_TEXT_SEARCH_OTHERS = "simple"


def is_known(code: str | None) -> bool:
    return code in ARTICLE_LANGUAGES


@cache
def is_right_to_left(code: str) -> bool:
    return Locale.parse(code).character_order == "right-to-left"


@cache
def language_name(code: str, reader_language: str) -> str:
    """ "Français (French)" for an English reader: the language in its own name, then in the
    reader's when the two differ."""
    locale = Locale.parse(code)
    own = _capitalised(locale.get_display_name(code))
    if code == reader_language:
        return own
    return f"{own} ({locale.get_display_name(reader_language)})"


def language_choices(reader_language: str) -> list[tuple[str, str]]:
    """Every language an article may declare, as (code, name), in the reader's alphabet order."""
    named = [(code, language_name(code, reader_language)) for code in ARTICLE_LANGUAGES]
    return sorted(named, key=lambda choice: choice[1].casefold())


def _capitalised(name: str) -> str:
    return name[:1].upper() + name[1:]
