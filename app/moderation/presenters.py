"""Moderation pages in each moderator's language: what the services keep in English, worded."""

from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from app.moderation import bp
from app.services.moderation.safety import IDENTITY_REASON

# Why a comment waits for review, as the services keep it (in English, like the audit log), and
# as a moderator reads it.
PENDING_REASONS = {
    "every comment on this article is reviewed": _l("every comment on this article is reviewed"),
    "a member's first comments are reviewed": _l("a member's first comments are reviewed"),
    "comments from this account are reviewed": _l("comments from this account are reviewed"),
    "contains a word on the moderators' list": _l("contains a word on the moderators' list"),
    "links from new members are reviewed": _l("links from new members are reviewed"),
    IDENTITY_REASON: _l("may reveal someone's identity"),
    "hidden after reports from several members": _l("hidden after reports from several members"),
}
EDITED = "edited: "
SEPARATOR = "; "


@bp.app_template_global()
def pending_reason_text(stored: str) -> str:
    """A comment's reasons for waiting, in the reader's language; unknown ones as kept."""
    reasons = stored.removeprefix(EDITED).split(SEPARATOR)
    text = SEPARATOR.join(str(PENDING_REASONS.get(reason, reason)) for reason in reasons)
    if stored.startswith(EDITED):
        return gettext("edited: %(reasons)s", reasons=text)
    return text
