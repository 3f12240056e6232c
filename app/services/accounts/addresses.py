"""E-mail addresses are confirmed by a mailed link, so no page tells whose address is whose.

Joining or changing one's address never answers "already used": the address gets a mail
either way, a link that makes it the member's address or, when another account has it, a note
saying so to its owner. An address becomes the member's only once the link is opened.
"""

from collections.abc import Callable

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import User
from app.services.accounts import AccountError
from app.services.accounts.registration import find_by_email
from app.services.infra.languages import speaking_to
from app.services.infra.mail import queue_mail

CONFIRM_SALT = "confirm-address"
CONFIRM_MAX_AGE_SECONDS = 3 * 24 * 3600


def _in_use() -> str:
    return _("This address now belongs to another account, so it cannot be added to yours.")


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=CONFIRM_SALT)


def ask_to_confirm(member: User, address: str, link_for: Callable[[str], str]) -> None:
    """Mail `address` the link that makes it the member's, or tell its owner it is in use."""
    site = current_app.config["SITE_NAME"]
    owner = find_by_email(address)
    if owner is not None and owner.id == member.id:
        return
    if owner is not None:
        with speaking_to(owner):
            subject = _("Your address was given to %(site)s", site=site)
            body = _(
                "Hello %(name)s,\n\n"
                "Someone asked to use this e-mail address for another %(site)s account. It "
                "already belongs to your account, so nothing has changed.\n\n"
                "If it was you, log in with your username, or ask for a new password on the "
                "log-in page. If it was not, you can ignore this message.\n",
                name=owner.username,
                site=site,
            )
        queue_mail(address, subject, body)
        return
    token = _serializer().dumps({"member": member.id, "address": address})
    with speaking_to(member):
        subject = _("Confirm your e-mail address on %(site)s", site=site)
        body = _(
            "Hello %(name)s,\n\n"
            "To use this address for your %(site)s account, open this link within three "
            "days:\n\n%(link)s\n\n"
            "If you did not ask for this, ignore this message: nothing will change.\n",
            name=member.username,
            site=site,
            link=link_for(token),
        )
    queue_mail(address, subject, body)


def address_in_token(token: str) -> tuple[User, str]:
    """The member and the address a confirmation link is for, or why it does not work."""
    try:
        data = _serializer().loads(token, max_age=CONFIRM_MAX_AGE_SECONDS)
    except SignatureExpired:
        raise AccountError(
            _("This link has expired. Enter the address again in your settings.")
        ) from None
    except BadSignature:
        raise AccountError(
            _("This link is not valid. Please copy it whole from the e-mail.")
        ) from None
    member = db.session.get(User, data.get("member")) if isinstance(data, dict) else None
    if member is None or not isinstance(data.get("address"), str):
        raise AccountError(
            _("This link is not valid. Please copy it whole from the e-mail.")
        ) from None
    return member, data["address"]


def confirm_address(token: str) -> User:
    member, address = address_in_token(token)
    owner = find_by_email(address)
    if owner is not None and owner.id != member.id:
        raise AccountError(_in_use())
    member.email = address
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as error:
        raise AccountError(_in_use()) from error
    return member
