"""Text signals used by pre-moderation and the crisis panel."""

import pytest

from app.services.moderation.safety import (
    banned_words_in,
    contains_link,
    identity_signals,
    mentions_crisis,
)


@pytest.mark.parametrize(
    "text",
    [
        "Some days I want to die and I don't tell anyone.",
        "I have been self-harming again since the sessions stopped.",
        "Honestly I have thought about ending my life.",
        "I felt suicidal last winter.",
        "I keep thinking everyone would be better off dead without me",
    ],
)
def test_crisis_language_is_recognised(text):
    assert mentions_crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "My therapist kills it at explaining boundaries.",
        "The deadline is killing me, but therapy helps.",
        "We discussed harm reduction in general terms.",
    ],
)
def test_ordinary_words_are_not_crisis_language(text):
    assert not mentions_crisis(text)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Write to her at jane.doe@example.org if you want.", "e-mail address"),
        ("Call him on +1 (503) 555-0199 after six.", "phone number"),
        ("She is on instagram.com/jane_counsels", "social-media profile"),
        ("Look up @janecounsels, she posts about clients", "social-media handle"),
        ("My therapist Dr. Hoffmann told me to quit.", "named practitioner"),
        ("my counselor is Ms Alvarez and she cried", "named practitioner"),
        ("I saw Dr Patel at Riverside Clinic yesterday", "named practitioner"),
    ],
)
def test_identity_signals(text, kind):
    assert kind in {signal.kind for signal in identity_signals(text)}


@pytest.mark.parametrize(
    "text",
    [
        "My therapist would never friend a client.",
        "Session 12 of 20 was on the 3rd of May.",
        "A doctor once told me that boundaries protect both sides.",
    ],
)
def test_no_identity_signal_in_ordinary_text(text):
    assert identity_signals(text) == []


def test_banned_words_match_whole_words_case_insensitively():
    words = ["scam", "idiot", "buy now"]
    assert banned_words_in("What an IDIOT. Buy   now!", words) == ["buy   now", "idiot"]
    assert banned_words_in("Scampi is not a scam-free zone", words) == ["scam"]
    assert banned_words_in("Scampi and idiotic ideas", words) == []
    assert banned_words_in("anything", []) == []


def test_links_are_detected():
    assert contains_link("see https://example.org/page")
    assert contains_link("visit www.example.org")
    assert not contains_link("no links here, just e.g. examples")
