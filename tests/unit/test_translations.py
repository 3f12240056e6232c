"""Every string a reader sees is marked for translation, and every marked string is in each
language's catalogue, translated."""

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
CATALOGUES = sorted((ROOT / "app" / "translations").glob("*/LC_MESSAGES/messages.po"))
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "N_": None,
}

TRANS_BLOCK = re.compile(r"{%-?\s*trans\b.*?{%-?\s*endtrans\s*-?%}", re.S)
JINJA = re.compile(r"{{.*?}}|{%.*?%}|{#.*?#}", re.S)
# Attributes whose values people read or hear.
READ_ATTRIBUTES = re.compile(
    r'\s(?:aria-label|aria-description|title|alt|placeholder|aria-roledescription)="([^"]*)"'
)
TAG = re.compile(r"<[^>]*>")
ENTITY = re.compile(r"&#?\w+;")
WORD = re.compile(r"[A-Za-z]{2,}")


def untranslated_text(source: str) -> list[str]:
    """The pieces of literal text in a template that no gettext call or trans block covers."""
    text = JINJA.sub("§", TRANS_BLOCK.sub("§", source))
    pieces = READ_ATTRIBUTES.findall(text)
    pieces += TAG.sub("\n", text).splitlines()
    pieces = (ENTITY.sub(" ", piece).strip() for piece in pieces)
    return [piece for piece in pieces if WORD.search(piece)]


TEMPLATE_FILES = sorted(
    path for pattern in ("*.html", "*.svg", "*.txt") for path in TEMPLATES.rglob(pattern)
)


@pytest.mark.parametrize("path", TEMPLATE_FILES, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_every_text_of_a_template_is_marked_for_translation(path):
    left = untranslated_text(path.read_text())

    assert not left, f"text not marked for translation in {path.name}: {left[:8]}"


def marked_messages() -> set[str]:
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _, _, message, _, _ in extract_from_dir(ROOT, method_map, options_map, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else message[0])
    return found


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-3])
def test_every_marked_string_is_translated_in_each_catalogue(path):
    with path.open("rb") as source:
        catalogue = read_po(source)
    translated = {
        message.id if isinstance(message.id, str) else message.id[0]
        for message in catalogue
        if message.id
        and not message.fuzzy
        and all(message.string if isinstance(message.string, tuple) else (message.string,))
    }

    missing = sorted(marked_messages() - translated)

    assert not missing, (
        f"{len(missing)} strings lack a {path.parts[-3]} translation: {missing[:10]}"
    )
