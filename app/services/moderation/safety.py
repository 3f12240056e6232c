"""Signals in a comment's text: crisis language, third-party identity, banned words, links."""

import re
from dataclasses import dataclass

# Phrases that suggest the writer may be in crisis. The author is shown resources and a
# moderator is alerted; the comment itself is never blocked for this.
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
_CRISIS = re.compile("|".join(CRISIS_PATTERNS), re.IGNORECASE)

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
    return bool(_CRISIS.search(text))


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
