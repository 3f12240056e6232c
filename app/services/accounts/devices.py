"""A short, readable name for the browser and system a member logged in from."""

import re

from app.models.sessions import DEVICE_MAX_LENGTH

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
        return "Unknown device"
    browser = next((name for name, pattern in BROWSERS if pattern.search(user_agent)), None)
    system = next((name for name, pattern in SYSTEMS if pattern.search(user_agent)), None)
    if browser and system:
        return f"{browser} on {system}"
    if browser or system:
        return browser or f"A browser on {system}"
    # Scripts and unusual browsers: the first word of their own name, e.g. "curl".
    product = re.match(r"[\w.\- ]{1,40}", user_agent)
    return product.group(0).strip()[:DEVICE_MAX_LENGTH] if product else "Unknown device"
