"""Addresses of the site's pages for mail: services ask, the web layer knows how to build them.

Services write e-mails but know nothing of routes. `create_app` registers the web layer's
SiteLinks; a service asks `site_links()` for absolute addresses, after checking `available()`
(outside a request and without SERVER_NAME there is no address to link to).
"""

from typing import Protocol

from flask import current_app

EXTENSION_KEY = "site_links"


class SiteLinks(Protocol):
    def available(self) -> bool: ...

    def comment(self, comment_id: int) -> str: ...

    def settings(self) -> str: ...


def site_links() -> SiteLinks:
    return current_app.extensions[EXTENSION_KEY]
