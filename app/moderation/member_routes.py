"""What members do themselves: report a comment, appeal a removal, ask to be verified."""

from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Appeal, Comment, CommentStatus, ReportReason, VerificationRequest
from app.moderation import safety_bp
from app.moderation.forms import AppealForm, ReportForm, VerificationForm
from app.services import moderation
from app.services.moderation import ModerationError


def _comment_url(comment: Comment) -> str:
    return url_for("articles.article", slug=comment.article.slug, _anchor=comment.anchor)


def _visible_comment(comment_id: int) -> Comment:
    comment = db.session.scalar(
        select(Comment).where(Comment.id == comment_id).options(joinedload(Comment.article))
    )
    if comment is None:
        abort(404)
    return comment


@safety_bp.route("/comments/<int:comment_id>/report", methods=["GET", "POST"])
@login_required
def report(comment_id):
    comment = _visible_comment(comment_id)
    if comment.status is not CommentStatus.PUBLISHED or not comment.article.is_live():
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            moderation.report_comment(
                comment, current_user, ReportReason(form.reason.data), form.note.data
            )
        except ModerationError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash("Thank you. A moderator will look at this comment.", "success")
            return redirect(_comment_url(comment))
    return render_template("moderation/report.html", form=form, comment=comment)


@safety_bp.route("/comments/<int:comment_id>/appeal", methods=["GET", "POST"])
@login_required
def appeal(comment_id):
    comment = _visible_comment(comment_id)
    if comment.author_id != current_user.id:
        abort(403)
    existing = db.session.scalar(select(Appeal).where(Appeal.comment_id == comment.id))
    form = AppealForm()
    if existing is None and form.validate_on_submit():
        try:
            moderation.appeal(comment, current_user, form.text.data)
        except ModerationError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash("Your appeal was sent to the moderators.", "success")
            return redirect(url_for(".appeal", comment_id=comment.id))
    return render_template("moderation/appeal.html", form=form, comment=comment, existing=existing)


@safety_bp.route("/account/verification", methods=["GET", "POST"])
@login_required
def verification():
    form = VerificationForm()
    if form.validate_on_submit():
        try:
            moderation.request_verification(
                current_user,
                form.licence_type.data,
                form.licence_number.data,
                form.jurisdiction.data,
                form.note.data,
            )
        except ModerationError as error:
            db.session.rollback()
            form.form_errors.append(str(error))
        else:
            db.session.commit()
            flash("Thank you. A moderator will review your credentials.", "success")
            return redirect(url_for(".verification"))
    requests = db.session.scalars(
        select(VerificationRequest)
        .where(VerificationRequest.user_id == current_user.id)
        .order_by(VerificationRequest.created_at.desc())
    ).all()
    return render_template("moderation/verification.html", form=form, requests=requests)
