"""Admins' page of mail that could not be sent: each dead letter, its error, and a retry."""

from flask import render_template, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.models import OutboxMessage
from app.moderation import bp
from app.moderation.actions import apply_action, page_arg
from app.permissions import admin_required
from app.services.infra import outbox

FAILED_MAIL_PER_PAGE = 50


@bp.get("/mail")
@admin_required
def failed_mail():
    pagination = db.paginate(
        outbox.dead_letters_statement(),
        page=page_arg(),
        per_page=FAILED_MAIL_PER_PAGE,
        error_out=False,
    )
    return render_template(
        "moderation/mail.html", pagination=pagination, retrying=outbox.retrying_count()
    )


@bp.post("/mail/<int:message_id>/retry")
@admin_required
def retry_mail(message_id):
    message = db.get_or_404(OutboxMessage, message_id)
    return apply_action(
        lambda: outbox.send_again(message),
        _("The message to %(address)s will be sent again now.", address=message.recipient),
        url_for(".failed_mail"),
    )
