"""What members do themselves: report a comment, appeal a removal, ask to be verified."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app import limits
from app.comments.lookups import comment_or_404, discussion_url
from app.errors import refusal_shown
from app.extensions import db
from app.models import Appeal, Comment, CommentStatus, ReportReason, VerificationRequest
from app.moderation import safety_bp
from app.moderation.forms import AppealForm, ReportForm, VerificationForm
from app.services.moderation import reports, review
from app.services.moderation import verification as verifications


@safety_bp.route("/comments/<int:comment_id>/report", methods=["GET", "POST"])
@login_required
@limits.reports
def report(comment_id):
    comment = comment_or_404(comment_id)
    if comment.status is not CommentStatus.PUBLISHED:
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            reports.report_comment(
                comment, current_user, ReportReason(form.reason.data), form.note.data
            )
            flash(_("Thank you. A moderator will look at this comment."), "success")
            return redirect(discussion_url(comment))
    return render_template("moderation/report.html", form=form, comment=comment)


@safety_bp.route("/comments/<int:comment_id>/appeal", methods=["GET", "POST"])
@login_required
def appeal(comment_id):
    # Unlike reports, an appeal stays possible while the article is unpublished.
    comment = db.get_or_404(Comment, comment_id)
    if comment.author_id != current_user.id:
        abort(403)
    existing = db.session.scalar(select(Appeal).where(Appeal.comment_id == comment.id))
    form = AppealForm()
    if existing is None and form.validate_on_submit():
        with refusal_shown(form):
            review.appeal(comment, current_user, form.text.data)
            flash(_("Your appeal was sent to the moderators."), "success")
            return redirect(url_for(".appeal", comment_id=comment.id))
    return render_template("moderation/appeal.html", form=form, comment=comment, existing=existing)


@safety_bp.route("/account/verification", methods=["GET", "POST"])
@login_required
def verification():
    form = VerificationForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            verifications.request_verification(
                current_user,
                form.licence_type.data,
                form.licence_number.data,
                form.jurisdiction.data,
                form.note.data,
            )
            flash(_("Thank you. A moderator will review your credentials."), "success")
            return redirect(url_for(".verification"))
    requests = db.session.scalars(
        select(VerificationRequest)
        .where(VerificationRequest.user_id == current_user.id)
        .order_by(VerificationRequest.created_at.desc())
    ).all()
    return render_template("moderation/verification.html", form=form, requests=requests)
