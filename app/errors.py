"""Error pages for people and JSON errors for the API."""

from flask import current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app.extensions import db
from app.schemas.errors import Error


def wants_json() -> bool:
    return request.path.startswith("/api/")


def json_error(status: int, message: str):
    response = jsonify(Error.of(status, message).to_json())
    response.status_code = status
    return response


def register(app):
    @app.errorhandler(CSRFError)
    def handle_csrf_error(error):
        message = "Your session expired or the form was tampered with. Please try again."
        if wants_json():
            return json_error(400, "Missing or invalid CSRF token.")
        return render_template("errors/error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def handle_http_error(error):
        if wants_json():
            response = json_error(error.code, error.description)
            if error.code == 405 and getattr(error, "valid_methods", None):
                response.headers["Allow"] = ", ".join(error.valid_methods)
            return response
        template = "errors/404.html" if error.code == 404 else "errors/error.html"
        return (
            render_template(template, code=error.code, message=error.description),
            error.code,
        )

    @app.errorhandler(InternalServerError)
    def handle_server_error(error):
        db.session.rollback()
        if wants_json():
            return json_error(500, "Something went wrong on our side.")
        # Rendered without context processors: they may need the database that just failed.
        page = current_app.jinja_env.get_template("errors/500.html").render(
            site_name=current_app.config["SITE_NAME"],
            site_tagline=current_app.config["SITE_TAGLINE"],
        )
        return page, 500
