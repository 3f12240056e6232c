"""The web layer's SiteLinks: absolute addresses of pages, built from the routes."""

from flask import current_app, has_request_context, url_for

from app.services.infra.links import EXTENSION_KEY
from app.templating import comment_url


class WebLinks:
    def available(self) -> bool:
        return has_request_context() or bool(current_app.config.get("SERVER_NAME"))

    def comment(self, comment_id: int) -> str:
        return comment_url(comment_id, external=True)

    def settings(self) -> str:
        return url_for("accounts.settings", _external=True)


def register(app) -> None:
    app.extensions[EXTENSION_KEY] = WebLinks()
