"""Signals in a comment's text: crisis language, third-party identity, banned words, links."""

import re
import unicodedata
from dataclasses import dataclass

# Phrases that suggest the writer may be in crisis. The author is shown resources and a
# moderator is alerted; the comment itself is never blocked for this. A bare mention of the
# subject ("suicide", "suicidio", "overdose") counts too: missing someone in crisis costs more
# than showing resources to someone who was only discussing it.
CRISIS_PATTERNS = [
    r"\bkill(ing)?\s+my\s*self\b",
    r"\bend(ing)?\s+(my|it)\s+(life|all)\b",
    r"\bsuicid(e|al)\b",
    r"\bself[\s-]?harm(ing)?\b",
    r"\bhurt(ing)?\s+my\s*self\b",
    r"\bcut(ting)?\s+my\s*self\b",
    r"\b(want|wanted|wish)\s+to\s+die\b",
    r"\bno\s+reason\s+to\s+live\b",
    r"\bbetter\s+off\s+dead\b",
    r"\boverdos(e|ing)\b",
]
# The same in Spanish, matched against the text with its accents taken off ("autolesión" and
# "autolesion", "daño" and "dano" alike), so they are written here without them. Phrases that
# are ordinary Spanish in another sense are held to the first person who wants or does it,
# so these do not count: "me corto" (I feel shy), "cortarme el pelo", "hacerme daño" said of
# someone else ("mi terapeuta nunca quiso hacerme daño"), "no quiero vivir en un pueblo".
_WANTS = r"(quiero|quisiera|queria|deseo|prefiero|necesito|ganas\s+de|pienso\s+en|pensando\s+en)"
# What leads to hurting oneself: wanting, fearing, having tried, going back to it.
_LEADS = (
    rf"({_WANTS}|miedo\s+(de|a)|intent[eo]|he\s+intentado"
    r"|volvi\s+a|vuelvo\s+a|volver\s+a|vuelto\s+a)"
)
CRISIS_PATTERNS_ES = [
    rf"\b{_WANTS}\s+morir(me)?\b",
    r"\bme\s+(quiero|quisiera|queria)\s+morir\b",
    r"\bsuicid(a|as|io|ios|ar|arme|arse|andome)\b",
    r"\b(quitarme|quitarse|me\s+quito)\s+la\s+vida\b",
    r"\b(acabar|terminar)\s+con\s+mi\s+vida\b",
    r"\bponer\s+fin\s+a\s+mi\s+vida\b",
    rf"\b({_LEADS}|voy\s+a)\s+matarme\b",
    r"\bme\s+(quiero|voy\s+a)\s+matar\b",
    r"\bno\s+quiero\s+(seguir\s+viviendo|vivir)(\s+(mas|asi|ya))?(?=\s*([.,;:!?)]|$))",
    r"\b(ninguna\s+razon|ningun\s+motivo|no\s+tengo\s+(razones|motivos?))\s+para\s+vivir\b",
    r"\bmejor\s+muert[oa]s?\b",
    rf"\b({_LEADS}|voy\s+a)\s+hacerme\s+dano\b",
    r"\bhacerme\s+dano\s+a\s+mi\s+mism[oa]\b",
    r"\bme\s+(hago|he\s+hecho|estoy\s+haciendo|sigo\s+haciendo)\s+dano\b",
    r"\bauto[\s-]?lesi(on|ones|onarme|onarse|onandome|ono)\b",
    rf"\b{_LEADS}\s+cortarme\b"
    r"(?!\s+(el|la|los|las)\s+(pelo|cabello|flequillo|barba|unas)\b)",
    r"\bcortarme\s+(las\s+venas|los\s+brazos|las\s+munecas|las\s+piernas)\b",
    r"\bsobredosis\b",
]
_CRISIS = re.compile("|".join(CRISIS_PATTERNS + CRISIS_PATTERNS_ES), re.IGNORECASE)

_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b")
_PHONE = re.compile(r"(?<!\w)(\+?\d[\d\s().-]{7,}\d)(?!\w)")
_SOCIAL = re.compile(
    r"(facebook\.com|fb\.com|instagram\.com|twitter\.com|x\.com|linkedin\.com|tiktok\.com|"
    r"threads\.net|bsky\.app|snapchat\.com|reddit\.com/u(ser)?)/[\w.@-]+",
    re.IGNORECASE,
)
_HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_]{3,30}\b")
_NAMED_THERAPIST = re.compile(
    r"\bmy\s+(therapist|counsel(l)?or|psychologist|psychiatrist|social\s+worker|"
    r"psychotherapist|doctor|coach)\s*,?\s+(is\s+|called\s+|named\s+)?"
    r"(dr\.?|doctor|mr\.?|mrs\.?|ms\.?|mx\.?|prof\.?)\s+[A-Z][\w'-]+",
    re.IGNORECASE,
)
_DR_NAME = re.compile(
    r"\b(?i:dr\.?|doctor)\s+[A-Z][a-z'-]+(\s+[A-Z][a-z'-]+)?\s+(at|in|from)\s+[A-Z]"
)
_LINK = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)

IDENTITY_REASON = "may reveal someone's identity"


@dataclass(frozen=True)
class IdentitySignal:
    kind: str
    excerpt: str


def mentions_crisis(text: str) -> bool:
    return bool(_CRISIS.search(_without_accents(text)))


def _without_accents(text: str) -> str:
    """The text with accents and tildes taken off its letters ("daño" reads "dano")."""
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def identity_signals(text: str) -> list[IdentitySignal]:
    """Things in the text that could name or locate a third party."""
    found = []
    checks = (
        ("e-mail address", _EMAIL),
        ("phone number", _PHONE),
        ("social-media profile", _SOCIAL),
        ("social-media handle", _HANDLE),
        ("named practitioner", _NAMED_THERAPIST),
        ("named practitioner", _DR_NAME),
    )
    for kind, pattern in checks:
        match = pattern.search(text)
        if match and not (kind == "phone number" and _digits(match.group(0)) < 9):
            found.append(IdentitySignal(kind, match.group(0)))
    return found


def _digits(text: str) -> int:
    return sum(ch.isdigit() for ch in text)


def contains_link(text: str) -> bool:
    return bool(_LINK.search(text))


def banned_word_pattern(words) -> re.Pattern | None:
    """One whole-word, case-insensitive pattern for a list of banned words or phrases."""
    cleaned = sorted({w.strip().casefold() for w in words if w.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    alternatives = "|".join(r"\s+".join(map(re.escape, w.split())) for w in cleaned)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def banned_words_in(text: str, words) -> list[str]:
    pattern = banned_word_pattern(words)
    if pattern is None:
        return []
    return sorted({m.group(0).casefold() for m in pattern.finditer(text)})
