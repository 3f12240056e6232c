"""Addresses that leave the site (mail, feeds, sitemap, OpenGraph), and the web layer's SiteLinks.

Every such address starts with the setting BASE_URL, so a forged Host or X-Forwarded-Host
header cannot change where a reset link or a notification points. Without BASE_URL
(development), links use the address the page was asked for. Jobs run outside any request:
they build addresses from BASE_URL, or from the address their request had when it queued them.
"""

from urllib.parse import quote

from flask import current_app, has_request_context, request, url_for

from app.services.infra.links import EXTENSION_KEY


def site_path(endpoint: str, **values) -> str:
    """The path of a page; in a job, where url_for has no request, from the URL map alone."""
    if has_request_context():
        return url_for(endpoint, **values)
    anchor = values.pop("_anchor", None)
    path = current_app.url_map.bind("").build(endpoint, values)
    return path + (f"#{quote(anchor)}" if anchor else "")


def external_url(endpoint: str, **values) -> str:
    """The absolute address of a page, on the site's canonical address."""
    base = current_app.config.get("BASE_URL")
    if base:
        return base + site_path(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def site_root() -> str | None:
    """The site's address now: BASE_URL, else the request's or SERVER_NAME's; None if unknown."""
    config = current_app.config
    if config.get("BASE_URL"):
        return config["BASE_URL"]
    if has_request_context():
        return request.host_url.rstrip("/")
    if config.get("SERVER_NAME"):
        return f"{config['PREFERRED_URL_SCHEME']}://{config['SERVER_NAME']}"
    return None


class WebLinks:
    """Absolute addresses on `root` (by default the site's address now)."""

    def __init__(self, root: str | None = None):
        self.root = root or site_root()

    def available(self) -> bool:
        return self.root is not None

    def _url(self, endpoint: str, **values) -> str:
        return self.root + site_path(endpoint, **values)

    def comment(self, comment_id: int) -> str:
        return self._url("comments.permalink", comment_id=comment_id, _anchor=f"c{comment_id}")

    def settings(self) -> str:
        return self._url("accounts.settings")

    def inbox(self) -> str:
        return self._url("notifications.inbox")

    def unsubscribe(self, token: str) -> str:
        return self._url("accounts.unsubscribe", token=token)


def register(app) -> None:
    app.extensions[EXTENSION_KEY] = WebLinks
    app.add_template_global(external_url, "external_url")
