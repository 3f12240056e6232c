"""What moderation stores in English codes (removal rules, reasons a comment waits, audit-log
actions and targets), read back in the reader's language. Free text a moderator typed is shown
as written."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

# The value posted and kept as a removal reason stays in English, the language staff share:
# "Off-topic", or "Off-topic: a note the moderator typed".
REMOVAL_RULES = {
    "Spam or advertising": _l("Spam or advertising"),
    "Harassment or personal attacks": _l("Harassment or personal attacks"),
    "Reveals someone's identity or private health information": _l(
        "Reveals someone's identity or private health information"
    ),
    "Off-topic": _l("Off-topic"),
    "Clinical advice or a diagnosis of another person": _l(
        "Clinical advice or a diagnosis of another person"
    ),
    "Other": _l("Other"),
}

# Reasons the site itself gives (app.services.moderation.premoderation, reports, review).
SITE_REASONS = {
    "every comment on this article is reviewed": _l("every comment on this article is reviewed"),
    "a member's first comments are reviewed": _l("a member's first comments are reviewed"),
    "comments from this account are reviewed": _l("comments from this account are reviewed"),
    "contains a word on the moderators' list": _l("contains a word on the moderators' list"),
    "links from new members are reviewed": _l("links from new members are reviewed"),
    "may reveal someone's identity": _l("may reveal someone's identity"),
    "hidden after reports from several members": _l("hidden after reports from several members"),
    "appeal granted": _l("appeal granted"),
}
EDITED_PREFIX = "edited: "

# English staff read the action's own name, as they always have (and as the pages' tests find
# it); other languages give each a phrase that names what it acted on.
ACTIONS = {
    "approve": _l("approve"),
    "remove": _l("remove"),
    "restore": _l("restore"),
    "feature": _l("feature"),
    "unfeature": _l("unfeature"),
    "appeal-granted": _l("appeal-granted"),
    "appeal-denied": _l("appeal-denied"),
    "verify": _l("verify"),
    "decline-verification": _l("decline-verification"),
    "revoke-verification": _l("revoke-verification"),
    "lock": _l("lock"),
    "unlock": _l("unlock"),
    "premoderate": _l("premoderate"),
    "stop-premoderating": _l("stop-premoderating"),
    "close-poll": _l("close-poll"),
    "reopen-poll": _l("reopen-poll"),
    "ban-word": _l("ban-word"),
    "unban-word": _l("unban-word"),
    "warn": _l("warn"),
    "suspend": _l("suspend"),
    "ban": _l("ban"),
    "unban": _l("unban"),
    "staff-level": _l("staff-level"),
}

TARGETS = {
    "comment": _l("comment"),
    "user": _l("member"),
    "article": _l("article"),
    "poll": _l("poll"),
    "verification": _l("verification request"),
    "appeal": _l("appeal"),
    "banned-word": _l("banned word"),
}


def removal_reason_text(reason: str | None) -> str:
    """A stored removal reason with its rule in the reader's language and the note as typed."""
    if not reason:
        return ""
    rule, separator, note = reason.partition(": ")
    if rule in REMOVAL_RULES:
        label = str(REMOVAL_RULES[rule])
        return _("%(rule)s: %(note)s", rule=label, note=note) if separator else label
    return str(SITE_REASONS.get(reason, reason))


def pending_reason_text(reason: str | None) -> str:
    """Why a comment waits ("edited: " and reasons joined by "; "), in the reader's language."""
    if not reason:
        return ""
    edited = reason.startswith(EDITED_PREFIX)
    parts = reason.removeprefix(EDITED_PREFIX).split("; ")
    text = "; ".join(str(SITE_REASONS.get(part, part)) for part in parts)
    return _("edited: %(reasons)s", reasons=text) if edited else text


def action_text(action: str) -> str:
    return str(ACTIONS.get(action, action))


def target_text(target_type: str) -> str:
    return str(TARGETS.get(target_type, target_type))
