"""Outgoing e-mail: SMTP when MAIL_SERVER is set, otherwise the message goes to the log.

Services call `queue_mail`: the message leaves only after the transaction that caused it
commits (a rolled-back request sends nothing), and on a background thread, so a slow or
unreachable mail server neither holds the request nor breaks it.
"""

import smtplib
from concurrent.futures import ThreadPoolExecutor
from email.message import EmailMessage

from flask import current_app

from app.transaction import after_commit

SMTP_TIMEOUT_SECONDS = 10
_sender = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mail")


def queue_mail(to: str, subject: str, body: str) -> None:
    """Send the message once the current transaction commits; never if it rolls back."""
    app = current_app._get_current_object()
    after_commit(lambda: _dispatch(app, to, subject, body))


def _dispatch(app, to: str, subject: str, body: str) -> None:
    if not app.config["MAIL_IN_BACKGROUND"]:
        send_mail(to, subject, body)
        return

    def send_in_background():
        with app.app_context():
            send_mail(to, subject, body)

    _sender.submit(send_in_background)


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message; a failure is logged, never shown to the person waiting."""
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
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
    try:
        _deliver(message, config)
    except (smtplib.SMTPException, OSError):
        current_app.logger.exception("Could not send mail %r to %s", subject, to)


def _deliver(message: EmailMessage, config) -> None:
    with smtplib.SMTP(
        config["MAIL_SERVER"], config["MAIL_PORT"], timeout=SMTP_TIMEOUT_SECONDS
    ) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)
