"""Addresses that leave the site (mail, feeds, sitemap, OpenGraph), and the web layer's SiteLinks.

Every such address starts with the setting BASE_URL, so a forged Host or X-Forwarded-Host
header cannot change where a reset link or a notification points. Without BASE_URL
(development), links use the address the page was asked for.
"""

from flask import current_app, has_request_context, url_for

from app.services.infra.links import EXTENSION_KEY


def external_url(endpoint: str, **values) -> str:
    """The absolute address of a page, on the site's canonical address."""
    base = current_app.config.get("BASE_URL")
    if base:
        return base + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


class WebLinks:
    def available(self) -> bool:
        config = current_app.config
        return bool(config.get("BASE_URL") or config.get("SERVER_NAME")) or has_request_context()

    def comment(self, comment_id: int) -> str:
        return external_url("comments.permalink", comment_id=comment_id, _anchor=f"c{comment_id}")

    def settings(self) -> str:
        return external_url("accounts.settings")


def register(app) -> None:
    app.extensions[EXTENSION_KEY] = WebLinks()
    app.add_template_global(external_url, "external_url")
