"""Where to send a member after logging in: back to a page of this site, never elsewhere."""

from urllib.parse import urlsplit


def safe_next_url(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None.

    Browsers treat a backslash as a slash and ignore tabs and newlines inside URLs, so
    "/\\evil.example" and "/\\t/evil.example" lead off-site just like "//evil.example".
    """
    if not target or not target.startswith("/"):
        return None
    if any(char in target for char in "\\\t\r\n") or any(ord(char) < 32 for char in target):
        return None
    if target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
