"""The device names a member sees on their sessions page."""

import pytest
from flask_babel import force_locale

from app.services.accounts.devices import describe_device, device_name


@pytest.mark.parametrize(
    ("user_agent", "device"),
    [
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Safari/605.1.15",
            "Safari on macOS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/126.0.0.0 Mobile Safari/537.36",
            "Chrome on Android",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
            "Firefox on Linux",
        ),
        (
            "Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
            "Gecko) CriOS/126.0 Mobile/15E148 Safari/604.1",
            "Chrome on iPad",
        ),
        (
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "HeadlessChrome/131.0.0.0 Safari/537.36",
            "Chrome on Linux",
        ),
        ("curl/8.5.0", "curl"),
        ("", "Unknown device"),
        (None, "Unknown device"),
        ("<script>", "Unknown device"),
    ],
)
def test_devices_are_named_as_a_member_would_recognise_them(user_agent, device):
    assert describe_device(user_agent) == device


def test_a_long_user_agent_gives_a_short_name():
    assert len(describe_device("x" * 5000)) <= 120


@pytest.mark.parametrize(
    ("kept", "english", "spanish"),
    [
        ("Chrome on Linux", "Chrome on Linux", "Chrome en Linux"),
        (
            "Samsung Internet on Android",
            "Samsung Internet on Android",
            "Samsung Internet en Android",
        ),
        ("A browser on iPhone", "A browser on iPhone", "Un navegador en iPhone"),
        ("Unknown device", "Unknown device", "Dispositivo desconocido"),
        ("curl", "curl", "curl"),
        ("Lynx on the moon", "Lynx on the moon", "Lynx on the moon"),
    ],
)
def test_a_kept_device_name_is_read_in_the_reader_s_language(app, kept, english, spanish):
    for language, expected in (("en", english), ("es", spanish)):
        with app.test_request_context(), force_locale(language):
            assert device_name(kept) == expected
