"""Error pages for people and JSON errors for the API, and the one place refusals are shown.

A service refuses with a DomainError. A view that can show the refusal where it belongs (next
to a form field, as a flash message) runs the service inside `refusal_shown`; anything else
reaches the error handler, which answers the API with `{"error": …}` and pages with an error
page, at the status the refusal's kind means.
"""

from collections.abc import Callable
from contextlib import contextmanager

from flask import current_app, flash, jsonify, render_template, request
from flask_babel import force_locale, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app import i18n, limits, transaction
from app.caching import tokens
from app.forms import show_refusal
from app.schemas.errors import Error
from app.services.errors import Conflict, DomainError, LoginRequired, NotFound, NotPermitted

REFUSAL_STATUS = ((NotFound, 404), (LoginRequired, 401), (NotPermitted, 403), (Conflict, 409))
# Said in the reader's language in place of Werkzeug's own English descriptions; a description a
# view gives itself is kept as it is.
STANDARD_DESCRIPTIONS = {
    400: _l("The request could not be understood."),
    401: _l("You need to log in to do this."),
    403: _l("You don’t have permission to do this."),
    404: _l("Nothing was found at this address."),
    405: _l("This address does not accept that kind of request."),
    413: _l("What was sent is larger than the site accepts."),
}


def wants_json() -> bool:
    """The API and the JSON downloads (such as a poll's results.json) answer errors in JSON."""
    return request.path.startswith("/api/") or request.path.endswith(".json")


def _prefers_json() -> bool:
    """A page's script asking for JSON, as the Helpful button does."""
    accept = request.accept_mimetypes
    return accept.best_match(["text/html", "application/json"]) == "application/json"


def json_error(status: int, message: str):
    response = jsonify(Error.of(status, message).to_json())
    response.status_code = status
    return response


def described(error: HTTPException) -> str | None:
    if error.description == type(error).description and error.code in STANDARD_DESCRIPTIONS:
        return str(STANDARD_DESCRIPTIONS[error.code])
    return error.description


def refusal_status(error: DomainError) -> int:
    return next((status for kind, status in REFUSAL_STATUS if isinstance(error, kind)), 400)


def refusal_json(error: DomainError):
    return json_error(refusal_status(error), error.message)


@contextmanager
def refusal_shown(
    form=None, *, field: str | None = None, tell: Callable[[str], None] | None = None
):
    """Run service calls whose refusal the person should see, then carry on after the block.

    A DomainError rolls the request's transaction back and is shown next to its form field (or
    `field`, or above the form), or handed to `tell`, or flashed. Code after the failing call
    inside the block does not run; the view goes on after the block, usually to render the form
    again or to redirect back.
    """
    try:
        yield
    except DomainError as error:
        transaction.rollback()
        if form is not None:
            show_refusal(form, error.message, error.field or field)
        elif tell is not None:
            tell(error.message)
        else:
            flash(error.message, "error")


def too_many_requests(error):
    """A limit refused the request: say when to try again, in words and in `Retry-After`."""
    wait = limits.seconds_until_reset()
    retry_in = limits.in_words(wait) if wait else None
    if wants_json() or _prefers_json():
        later = " " + gettext("Please try again in %(wait)s.", wait=retry_in) if retry_in else ""
        response = json_error(429, f"{error.description}{later}")
    else:
        page = render_template(
            "errors/error.html", code=429, message=error.description, retry_in=retry_in
        )
        response = current_app.make_response((page, 429))
    if wait:
        response.headers["Retry-After"] = str(wait)
    return response


def csrf_refused(error):
    """A form or API call without a valid token; an anonymous reader's form may be confirmed."""
    if wants_json():
        return json_error(400, gettext("Missing or invalid CSRF token."))
    confirmation = tokens.confirmation_page()
    if confirmation is not None:
        return confirmation
    message = gettext("Your session expired or the form was tampered with. Please try again.")
    return render_template("errors/error.html", code=400, message=message), 400


def register(app):
    @app.errorhandler(DomainError)
    def handle_refusal(error):
        if wants_json():
            return refusal_json(error)
        status = refusal_status(error)
        template = "errors/404.html" if status == 404 else "errors/error.html"
        return render_template(template, code=status, message=error.message), status

    app.register_error_handler(CSRFError, csrf_refused)

    @app.errorhandler(HTTPException)
    def handle_http_error(error):
        if wants_json():
            response = json_error(error.code, described(error))
            if error.code == 405 and getattr(error, "valid_methods", None):
                response.headers["Allow"] = ", ".join(error.valid_methods)
            return response
        template = "errors/404.html" if error.code == 404 else "errors/error.html"
        return (
            render_template(template, code=error.code, message=described(error)),
            error.code,
        )

    app.register_error_handler(429, too_many_requests)

    @app.errorhandler(InternalServerError)
    def handle_server_error(error):
        transaction.rollback()
        language = _language_if_known()
        with force_locale(language):
            if wants_json():
                return json_error(500, gettext("Something went wrong on our side."))
            # Rendered without context processors: they may need the database that just failed.
            page = current_app.jinja_env.get_template("errors/500.html").render(
                site_name=current_app.config["SITE_NAME"],
                site_tagline=gettext(current_app.config["SITE_TAGLINE"]),
                current_language=language,
            )
        return page, 500


def _language_if_known() -> str:
    """The reader's language, or the site's first when finding it fails too (a member's
    setting is read from the database, which may be what just failed)."""
    try:
        return i18n.current_language()
    except Exception:  # noqa: BLE001 - the error page must render whatever broke
        return i18n.languages()[0]
