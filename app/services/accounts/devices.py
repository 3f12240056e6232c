"""A short, readable name for the browser and system a member logged in from.

The name is kept in English ("Firefox on Windows") and read in the member's language
(`device_name`): browsers and systems keep their own names, the words around them translate.
"""

import re

from flask_babel import gettext as _

from app.models.sessions import DEVICE_MAX_LENGTH

UNKNOWN_DEVICE = "Unknown device"
# Order matters: Edge and Opera say "Chrome" too, Chrome says "Safari", Android says "Linux".
BROWSERS = (
    ("Edge", re.compile(r"\bEdg(e|A|iOS)?/")),
    ("Opera", re.compile(r"\b(OPR|Opera)/")),
    ("Samsung Internet", re.compile(r"\bSamsungBrowser/")),
    ("Firefox", re.compile(r"\b(Firefox|FxiOS)/")),
    ("Chrome", re.compile(r"\b(Chrome|CriOS|Chromium|HeadlessChrome)/")),
    ("Safari", re.compile(r"\bSafari/")),
)
SYSTEMS = (
    ("iPhone", re.compile(r"\biPhone\b")),
    ("iPad", re.compile(r"\biPad\b")),
    ("Android", re.compile(r"\bAndroid\b")),
    ("ChromeOS", re.compile(r"\bCrOS\b")),
    ("Windows", re.compile(r"\bWindows\b")),
    ("macOS", re.compile(r"\bMac OS X\b|\bMacintosh\b")),
    ("Linux", re.compile(r"\bLinux\b")),
)


def describe_device(user_agent: str | None) -> str:
    """A name such as "Firefox on Windows": no more than a member needs to recognise it."""
    user_agent = (user_agent or "").strip()
    if not user_agent:
        return UNKNOWN_DEVICE
    browser = next((name for name, pattern in BROWSERS if pattern.search(user_agent)), None)
    system = next((name for name, pattern in SYSTEMS if pattern.search(user_agent)), None)
    if browser and system:
        return f"{browser} on {system}"
    if browser or system:
        return browser or f"A browser on {system}"
    # Scripts and unusual browsers: the first word of their own name, e.g. "curl".
    product = re.match(r"[\w.\- ]{1,40}", user_agent)
    return product.group(0).strip()[:DEVICE_MAX_LENGTH] if product else UNKNOWN_DEVICE


_KEPT_NAME = re.compile(
    r"^(?:(?P<browser>{browsers}) on|A browser on) (?P<system>{systems})$".format(
        browsers="|".join(re.escape(name) for name, pattern in BROWSERS),
        systems="|".join(re.escape(name) for name, pattern in SYSTEMS),
    )
)


def device_name(kept: str) -> str:
    """A name describe_device gave, in the reader's language; any other name as it is."""
    if kept == UNKNOWN_DEVICE:
        return _("Unknown device")
    match = _KEPT_NAME.match(kept)
    if match is None:
        return kept
    if match["browser"]:
        return _("%(browser)s on %(system)s", browser=match["browser"], system=match["system"])
    return _("A browser on %(system)s", system=match["system"])
