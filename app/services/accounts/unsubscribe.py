"""Links in notice e-mails that stop them, without logging in.

Each e-mail about notices carries a link signed for its member and the kinds of notice it is
about (replies, followed articles). Opening the link changes nothing; confirming it, or a
mail program's one-click request (RFC 8058) to the same address, sets those kinds to "never".
The signature is the proof: no login and no CSRF token are needed, and a link cannot be made
to reach another member or another kind.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.extensions import db
from app.models import MailFrequency, MailTopic, User
from app.services.accounts import AccountError

UNSUBSCRIBE_SALT = "unsubscribe"
# Long enough for an e-mail found again weeks later; older ones send the member to settings.
UNSUBSCRIBE_MAX_AGE_SECONDS = 90 * 24 * 3600


@dataclass(frozen=True)
class Unsubscription:
    """Whom a link is for, and the kinds of e-mail it stops."""

    member: User
    topics: tuple[MailTopic, ...]

    @property
    def still_sent(self) -> tuple[MailTopic, ...]:
        return tuple(
            topic
            for topic in self.topics
            if self.member.mail_frequency(topic) is not MailFrequency.NEVER
        )


def _not_valid() -> str:
    return _(
        "This unsubscribe link is not valid. Please copy it whole from the e-mail, or log in "
        "and change your e-mail settings."
    )


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def make_unsubscribe_token(member: User, topics: Iterable[MailTopic]) -> str:
    return _serializer().dumps(
        {"member": member.id, "topics": sorted(MailTopic(topic).value for topic in topics)}
    )


def unsubscription_for(token: str) -> Unsubscription:
    """What a link stops, or an AccountError that says why it does not work."""
    try:
        data = _serializer().loads(token, max_age=UNSUBSCRIBE_MAX_AGE_SECONDS)
    except SignatureExpired:
        raise AccountError(
            _(
                "This unsubscribe link has expired. Log in and change your e-mail settings, "
                "or use the link in a more recent e-mail."
            )
        ) from None
    except BadSignature:
        raise AccountError(_not_valid()) from None
    if not isinstance(data, dict) or not isinstance(data.get("topics"), list):
        raise AccountError(_not_valid())
    try:
        topics = tuple(MailTopic(topic) for topic in data["topics"])
    except ValueError:
        raise AccountError(_not_valid()) from None
    member_id = data.get("member")
    member = db.session.get(User, member_id) if isinstance(member_id, int) else None
    if member is None or not topics:
        raise AccountError(_("This unsubscribe link is for an account that no longer exists."))
    return Unsubscription(member, topics)


def unsubscribe(token: str) -> Unsubscription:
    """Stop the e-mails the link is for; doing it again changes nothing."""
    unsubscription = unsubscription_for(token)
    for topic in unsubscription.topics:
        setattr(unsubscription.member, topic.setting, MailFrequency.NEVER)
    db.session.flush()
    return unsubscription
