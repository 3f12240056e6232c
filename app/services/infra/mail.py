"""Outgoing e-mail: through the outbox, after the commit; SMTP when MAIL_SERVER is set.

Services call `queue_mail`: the message is written to the outbox in the transaction that
caused it, so a rolled-back request sends nothing and a committed one cannot lose it, and a
job sends it after the commit, off the request, trying again with backoff when the mail
server does not take it (app/services/infra/outbox.py). Without MAIL_SERVER, `send_mail`
writes the message to the log instead.
"""

import smtplib
from email.message import EmailMessage
from email.utils import parseaddr

from flask import current_app

from app.services.infra import outbox

SMTP_TIMEOUT_SECONDS = 10


def queue_mail(
    to: str,
    subject: str,
    body: str,
    key: str | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Send the message once the current transaction commits; never if it rolls back.

    A `key` names the message, so that asking twice for the same one sends it once.
    `headers` are added to the usual ones, e.g. List-Unsubscribe.
    """
    outbox.write(to, subject, body, key, headers)


def send_mail(
    to: str,
    subject: str,
    body: str,
    key: str | None = None,
    headers: dict[str, str] | None = None,
) -> None:
    """Send a plain-text message now; raises SMTPException or OSError if the server refused.

    The message's `key` becomes its Message-ID, so a copy sent again is known as the same.
    """
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    if key:
        domain = parseaddr(config["MAIL_SENDER"])[1].rpartition("@")[2] or "localhost"
        message["Message-ID"] = f"<{key}@{domain}>"
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)

    if not config.get("MAIL_SERVER"):
        # Logged as plain text rather than the encoded message, so links stay whole.
        current_app.logger.info(
            "No mail server configured; this message was not sent:\n"
            "From: %s\nTo: %s\nSubject: %s\n\n%s",
            message["From"],
            to,
            subject,
            body,
        )
        return
    _deliver(message, config)


def _deliver(message: EmailMessage, config) -> None:
    with smtplib.SMTP(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT_SECONDS
    ) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)
