"""Staff pages about members: search, history, warnings, suspensions, bans, verification."""

from datetime import UTC, datetime, time

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import (
    Comment,
    ModerationAction,
    StaffLevel,
    User,
    VerificationRequest,
    VerificationStatus,
)
from app.moderation import bp
from app.moderation.actions import apply_action, page_arg
from app.moderation.forms import (
    OptionalReasonForm,
    ReasonForm,
    StaffLevelForm,
    SuspendForm,
)
from app.permissions import admin_required
from app.services.moderation import queue, sanctions, verification

# --- members ---------------------------------------------------------------------------------


@bp.get("/members")
def members():
    q = request.args.get("q", "").strip()[:30]
    return render_template(
        "moderation/members.html", pagination=queue.member_search(q, page_arg()), q=q
    )


@bp.get("/members/<int:user_id>")
def member(user_id):
    member = db.get_or_404(User, user_id)
    recent = db.session.scalars(
        select(Comment)
        .where(Comment.author_id == member.id)
        .options(joinedload(Comment.article))
        .order_by(Comment.created_at.desc())
        .limit(20)
    ).all()
    actions = db.session.scalars(
        select(ModerationAction)
        .where(ModerationAction.target_type == "user", ModerationAction.target_id == member.id)
        .options(joinedload(ModerationAction.actor))
        .order_by(ModerationAction.created_at.desc())
        .limit(20)
    ).all()
    return render_template(
        "moderation/member.html",
        member=member,
        recent=recent,
        actions=actions,
        history=queue.author_histories(recent).get(member.id, {}),
        reason_form=ReasonForm(),
        optional_form=OptionalReasonForm(),
        suspend_form=SuspendForm(),
        staff_form=StaffLevelForm(level=member.staff_level.value),
    )


def _member(user_id: int) -> User:
    return db.get_or_404(User, user_id)


def _member_action(user_id, form, action, success):
    member = _member(user_id)
    back = url_for(".member", user_id=user_id)
    if not form.validate():
        for errors in form.errors.values():
            flash(" ".join(str(error) for error in errors), "error")
        return redirect(back)
    return apply_action(lambda: action(member, form), success, back)


@bp.post("/members/<int:user_id>/warn")
def warn(user_id):
    return _member_action(
        user_id,
        ReasonForm(),
        lambda m, f: sanctions.warn(m, current_user, f.reason.data),
        _("Warning sent."),
    )


@bp.post("/members/<int:user_id>/suspend")
def suspend(user_id):
    def action(member, form):
        until = datetime.combine(form.until.data, time(23, 59), tzinfo=UTC)
        sanctions.suspend(member, current_user, until, form.reason.data)

    return _member_action(user_id, SuspendForm(), action, _("Member suspended."))


@bp.post("/members/<int:user_id>/ban")
def ban(user_id):
    return _member_action(
        user_id,
        ReasonForm(),
        lambda m, f: sanctions.ban(m, current_user, f.reason.data),
        _("Member banned."),
    )


@bp.post("/members/<int:user_id>/unban")
def unban(user_id):
    return _member_action(
        user_id,
        OptionalReasonForm(),
        lambda m, f: sanctions.unban(m, current_user, f.reason.data),
        _("Member can take part again."),
    )


@bp.post("/members/<int:user_id>/revoke-verification")
def revoke_verification(user_id):
    return _member_action(
        user_id,
        ReasonForm(),
        lambda m, f: verification.revoke_verification(m, current_user, f.reason.data),
        _("Verification revoked."),
    )


@bp.post("/members/<int:user_id>/staff-level")
@admin_required
def staff_level(user_id):
    return _member_action(
        user_id,
        StaffLevelForm(),
        lambda m, f: sanctions.set_staff_level(
            m, current_user, StaffLevel(f.level.data), f.reason.data
        ),
        _("Staff level changed."),
    )


# --- professional verification ------------------------------------------------------------


@bp.get("/verifications")
def verifications():
    pending = db.session.scalars(
        select(VerificationRequest)
        .where(VerificationRequest.status == VerificationStatus.PENDING)
        .options(joinedload(VerificationRequest.user))
        .order_by(VerificationRequest.created_at)
    ).all()
    return render_template(
        "moderation/verifications.html", pending=pending, reason_form=ReasonForm()
    )


@bp.post("/verifications/<int:request_id>/approve")
def approve_verification(request_id):
    entry = db.get_or_404(VerificationRequest, request_id)
    return apply_action(
        lambda: verification.decide_verification(entry, current_user, True),
        _("%(name)s is now a verified professional.", name=entry.user.username),
        url_for(".verifications"),
    )


@bp.post("/verifications/<int:request_id>/decline")
def decline_verification(request_id):
    entry = db.get_or_404(VerificationRequest, request_id)
    form = ReasonForm()
    if not form.validate():
        flash(_("Give the reason for declining; the member will see it."), "error")
        return redirect(url_for(".verifications"))
    return apply_action(
        lambda: verification.decide_verification(entry, current_user, False, form.reason.data),
        _("Request declined."),
        url_for(".verifications"),
    )
