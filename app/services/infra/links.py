"""Addresses of the site's pages for mail: services ask, the web layer knows how to build them.

Services write e-mails but know nothing of routes. `create_app` registers the web layer's
SiteLinks; a service asks `site_links()` for absolute addresses, after checking `available()`
(outside a request and without BASE_URL or SERVER_NAME there is no address to link to). Work
queued for a job takes `site_links().root` along, and the job asks `site_links(root)`.
"""

from typing import Protocol

from flask import current_app

EXTENSION_KEY = "site_links"


class SiteLinks(Protocol):
    root: str | None

    def available(self) -> bool: ...

    def comment(self, comment_id: int) -> str: ...

    def settings(self) -> str: ...

    def inbox(self) -> str: ...

    def unsubscribe(self, token: str) -> str: ...


def site_links(root: str | None = None) -> SiteLinks:
    """The site's links, on `root` if given, else on the site's address now."""
    return current_app.extensions[EXTENSION_KEY](root)
