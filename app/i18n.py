"""The reader's language: the member's setting, else a choice made in the footer, else the
browser's `Accept-Language`; English when none of them names a language the site speaks.

Anonymous pages are kept per language (app/caching joins the language to a page's key) and
vary on `Accept-Language` and `Cookie`, so a cache in front of the site keeps one copy per
language. The footer's choice is a cookie that says nothing but the language.
"""

from flask import current_app, has_request_context, request
from flask_babel import Babel, get_locale
from flask_login import current_user

LANGUAGE_COOKIE = "language"
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600
# Each language in its own name, as the footer offers it.
LANGUAGE_NAMES = {"en": "English", "es": "Español"}

babel = Babel()


def register(app) -> None:
    babel.init_app(app, locale_selector=select_locale)

    @app.context_processor
    def language():
        return {"current_language": current_language(), "language_names": LANGUAGE_NAMES}


def languages() -> tuple[str, ...]:
    return current_app.config["LANGUAGES"]


def select_locale() -> str:
    spoken = languages()
    if not has_request_context():
        return spoken[0]  # jobs and commands choose theirs with flask_babel.force_locale
    if current_user and current_user.is_authenticated and current_user.language in spoken:
        return current_user.language
    chosen = request.cookies.get(LANGUAGE_COOKIE)
    if chosen in spoken:
        return chosen
    return request.accept_languages.best_match(spoken) or spoken[0]


def current_language() -> str:
    return str(get_locale() or languages()[0])


def remember_language(response, language: str) -> None:
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=LANGUAGE_COOKIE_SECONDS,
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
        httponly=True,
        samesite="Lax",
    )
