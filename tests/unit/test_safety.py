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
    "text",
    [
        "Hay días en que quiero morirme y no se lo digo a nadie.",
        "Me quiero suicidar desde que dejé la terapia.",
        "Pensé en el suicidio el invierno pasado.",
        "He pensado en quitarme la vida.",
        "Ya no quiero vivir.",
        "No quiero vivir así, sin ganas de nada",
        "Tengo ganas de hacerme daño otra vez",
        "Desde que terminó la terapia me hago daño.",
        "Hablar de la autolesión me cuesta",
        "la autolesion es algo que no cuento",
        "Anoche volví a cortarme",
        "Pensé en cortarme las venas",
        "Tomé una sobredosis hace un año.",
        "Todos estarían mejor si yo estuviera muerta, estaría mejor muerta",
        "A veces pienso que estaría MEJOR MUERTO",
        "Quiero acabar con mi vida",
        "Me siento suicida",
        "No tengo razones para vivir",
        "Intenté matarme hace dos años.",
        "Tengo miedo de hacerme daño esta noche",
    ],
)
def test_crisis_language_in_spanish_is_recognised(text):
    assert mentions_crisis(text)


@pytest.mark.parametrize(
    "text",
    [
        "No quiero vivir en un pueblo donde mi terapeuta es mi vecina.",
        "Me corto un poco cuando hablo de dinero con mi terapeuta.",
        "Tengo que cortarme el pelo antes de la sesión.",
        "Mi terapeuta nunca quiso hacerme daño, pero cruzó un límite.",
        "No voy a cortarme: le dije lo que pensaba.",
        "Este plazo me está matando, pero la terapia ayuda.",
        "Hablamos de reducción de daños en términos generales.",
        "Prefiero morderme la lengua antes que escribirle por Facebook.",
    ],
)
def test_ordinary_spanish_is_not_crisis_language(text):
    assert not mentions_crisis(text)


def test_an_ethics_debate_on_assisted_suicide_counts_in_both_languages_alike():
    # The same trade-off in each language: the word itself shows the resources.
    assert mentions_crisis("Assisted suicide raises hard questions for counselors.")
    assert mentions_crisis("El suicidio asistido plantea preguntas difíciles.")


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
