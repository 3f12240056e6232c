"""Staff actions on comments, members and discussions, each written to the audit log."""

from datetime import datetime

from flask import current_app
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import (
    AccountStatus,
    Appeal,
    AppealStatus,
    Article,
    BannedWord,
    Comment,
    CommentStatus,
    ModerationAction,
    Notification,
    NotificationKind,
    Poll,
    Report,
    ReportReason,
    StaffLevel,
    User,
    VerificationRequest,
    VerificationStatus,
    utcnow,
)
from app.services import safety
from app.services.comment_status import set_status
from app.services.notifications import notify_reply

TRUST_GAIN_PER_APPROVAL = 1
TRUST_LOSS_PER_REMOVAL = 3
LOW_TRUST = -3


class ModerationError(ValueError):
    """An action the rules refuse, with a message fit to show."""


# --- audit log -------------------------------------------------------------------------------


def record(actor: User | None, action: str, target, reason: str | None = None, **details):
    """Append one entry to the audit log."""
    entry = ModerationAction(
        actor_id=actor.id if actor else None,
        action=action,
        target_type=_target_type(target),
        target_id=target.id,
        reason=reason or None,
        details=details or None,
    )
    db.session.add(entry)
    return entry


def _target_type(target) -> str:
    return {
        Comment: "comment",
        User: "user",
        Article: "article",
        Poll: "poll",
        BannedWord: "banned-word",
        VerificationRequest: "verification",
        Appeal: "appeal",
    }[type(target)]


def _notify(recipient_id: int | None, kind: NotificationKind, message: str, comment=None):
    if recipient_id is None:
        return
    db.session.add(
        Notification(
            recipient_id=recipient_id,
            kind=kind,
            message=message,
            comment_id=comment.id if comment is not None else None,
        )
    )


# --- what a new comment waits for ----------------------------------------------------------


def premoderation_reasons(
    author: User, article: Article, text: str, *, first_comments: bool = True
) -> list[str]:
    """Why a comment must wait for a moderator; empty when it may appear at once."""
    reasons = []
    if article.premoderated:
        reasons.append("every comment on this article is reviewed")
    if (
        first_comments
        and author.approved_comment_count < current_app.config["PREMODERATE_FIRST_COMMENTS"]
    ):
        reasons.append("a member's first comments are reviewed")
    if author.trust_score <= LOW_TRUST:
        reasons.append("comments from this account are reviewed")
    words = db.session.scalars(select(BannedWord.word)).all()
    if safety.banned_words_in(text, words):
        reasons.append("contains a word on the moderators' list")
    links_until = current_app.config["PREMODERATE_LINKS_UNTIL"]
    if safety.contains_link(text) and author.approved_comment_count < links_until:
        reasons.append("links from new members are reviewed")
    if safety.identity_signals(text):
        reasons.append(safety.IDENTITY_REASON)
    return reasons


# --- reports ---------------------------------------------------------------------------------


def report_comment(comment: Comment, reporter: User, reason: ReportReason, note: str | None):
    if reporter.is_restricted():
        raise ModerationError("Your account is restricted, so you cannot report comments.")
    if comment.author_id == reporter.id:
        raise ModerationError("You cannot report your own comment.")
    if comment.status is not CommentStatus.PUBLISHED:
        raise ModerationError("This comment is not open to reports.")
    if reason is ReportReason.OTHER and not (note or "").strip():
        raise ModerationError("Please say what is wrong when you choose “Other”.")
    already = db.session.scalar(
        select(Report.id).where(Report.comment_id == comment.id, Report.reporter_id == reporter.id)
    )
    if already:
        raise ModerationError("You have already reported this comment.")
    db.session.add(
        Report(comment_id=comment.id, reporter_id=reporter.id, reason=reason, note=note or None)
    )
    db.session.flush()
    db.session.execute(
        update(Comment)
        .where(Comment.id == comment.id)
        .values(report_count=Comment.report_count + 1)
    )
    if comment.report_count >= current_app.config["REPORTS_TO_HIDE"]:
        set_status(comment, CommentStatus.HIDDEN)
        comment.pending_reason = "hidden after reports from several members"


def _resolve_reports(comment: Comment) -> None:
    """A moderator has looked: the open reports close, and new ones count from zero."""
    db.session.execute(
        update(Report)
        .where(Report.comment_id == comment.id, Report.resolved_at.is_(None))
        .values(resolved_at=utcnow())
    )
    comment.report_count = 0


# --- the queue ------------------------------------------------------------------------------


def approve(comment: Comment, moderator: User) -> None:
    """Let a comment stand: publish one awaiting review, or clear what flagged a visible one."""
    if comment.status is CommentStatus.PUBLISHED:
        if not (comment.crisis_flag or _has_open_reports(comment)):
            raise ModerationError("Nothing about this comment is waiting for review.")
        comment.crisis_flag = False
        _resolve_reports(comment)
        record(moderator, "approve", comment)
        return
    if comment.status not in (CommentStatus.PENDING, CommentStatus.HIDDEN):
        raise ModerationError("Removed and deleted comments cannot be approved; restore instead.")
    first_approval = comment.status is CommentStatus.PENDING
    set_status(comment, CommentStatus.PUBLISHED)
    comment.pending_reason = None
    comment.crisis_flag = False
    _resolve_reports(comment)
    if first_approval and comment.author is not None:
        _adjust_trust(comment.author, TRUST_GAIN_PER_APPROVAL, approved=1)
        # A reply held for review reaches the parent's author only now.
        notify_reply(comment)
        _notify(
            comment.author_id,
            NotificationKind.COMMENT_APPROVED,
            "Your comment was approved and is now visible.",
            comment,
        )
    record(moderator, "approve", comment)


def _has_open_reports(comment: Comment) -> bool:
    return (
        db.session.scalar(
            select(Report.id)
            .where(Report.comment_id == comment.id, Report.resolved_at.is_(None))
            .limit(1)
        )
        is not None
    )


def remove(comment: Comment, moderator: User, reason: str) -> None:
    if not reason.strip():
        raise ModerationError("Say which rule the comment broke.")
    if comment.status in (CommentStatus.REMOVED, CommentStatus.DELETED):
        raise ModerationError("This comment is already gone.")
    set_status(comment, CommentStatus.REMOVED)
    comment.removal_reason = reason.strip()
    comment.featured = False
    _resolve_reports(comment)
    if comment.author is not None:
        _adjust_trust(comment.author, -TRUST_LOSS_PER_REMOVAL)
        _notify(
            comment.author_id,
            NotificationKind.COMMENT_REMOVED,
            f"A moderator removed your comment: {comment.removal_reason}. You may appeal once.",
            comment,
        )
    record(moderator, "remove", comment, reason)


def restore(comment: Comment, moderator: User, reason: str | None = None) -> None:
    _refuse_own_comment(comment, moderator)
    if comment.status not in (CommentStatus.REMOVED, CommentStatus.HIDDEN):
        raise ModerationError("Only removed or hidden comments can be restored.")
    if comment.status is CommentStatus.REMOVED and comment.author is not None:
        _adjust_trust(comment.author, TRUST_LOSS_PER_REMOVAL)
    set_status(comment, CommentStatus.PUBLISHED)
    comment.removal_reason = None
    comment.pending_reason = None
    _resolve_reports(comment)
    record(moderator, "restore", comment, reason)


def set_featured(comment: Comment, moderator: User, featured: bool) -> None:
    """Feature a comment (approving it first if it waits for review), or stop featuring it."""
    if featured and comment.status in (CommentStatus.PENDING, CommentStatus.HIDDEN):
        approve(comment, moderator)
    if featured and comment.status is not CommentStatus.PUBLISHED:
        raise ModerationError("Only visible comments can be featured.")
    if comment.featured == featured:
        raise ModerationError(
            "This comment is already featured." if featured else "This comment is not featured."
        )
    comment.featured = featured
    record(moderator, "feature" if featured else "unfeature", comment)


def _refuse_own_comment(comment: Comment, moderator: User) -> None:
    if comment.author_id == moderator.id:
        raise ModerationError("Another moderator must decide on your own comment.")


def _adjust_trust(author: User, delta: int, approved: int = 0) -> None:
    db.session.execute(
        update(User)
        .where(User.id == author.id)
        .values(
            trust_score=User.trust_score + delta,
            approved_comment_count=User.approved_comment_count + approved,
        )
    )


def appeal(comment: Comment, author: User, text: str) -> Appeal:
    if comment.author_id != author.id or comment.status is not CommentStatus.REMOVED:
        raise ModerationError("Only the author of a removed comment can appeal.")
    if not text.strip():
        raise ModerationError("Say why the comment should be restored.")
    if db.session.scalar(select(Appeal.id).where(Appeal.comment_id == comment.id)):
        raise ModerationError("You have already appealed this removal.")
    entry = Appeal(comment_id=comment.id, user_id=author.id, text=text.strip())
    db.session.add(entry)
    return entry


def decide_appeal(entry: Appeal, moderator: User, grant: bool, reason: str | None = None):
    _refuse_own_comment(entry.comment, moderator)
    if entry.status is not AppealStatus.PENDING:
        raise ModerationError("This appeal has already been decided.")
    entry.status = AppealStatus.GRANTED if grant else AppealStatus.DENIED
    entry.decided_by_id = moderator.id
    entry.decided_at = utcnow()
    if grant:
        restore(entry.comment, moderator, reason or "appeal granted")
    record(moderator, "appeal-granted" if grant else "appeal-denied", entry, reason)


# --- members ---------------------------------------------------------------------------------


def warn(member: User, moderator: User, reason: str) -> None:
    _require_reason(reason)
    _notify(member.id, NotificationKind.ACCOUNT, f"A moderator warned you: {reason.strip()}")
    record(moderator, "warn", member, reason)


def suspend(member: User, moderator: User, until: datetime, reason: str) -> None:
    _require_reason(reason)
    _refuse_staff_target(member, moderator)
    if until <= utcnow():
        raise ModerationError("A suspension must end in the future.")
    member.account_status = AccountStatus.SUSPENDED
    member.suspended_until = until
    member.status_reason = reason.strip()
    record(moderator, "suspend", member, reason, until=until.isoformat())


def ban(member: User, moderator: User, reason: str) -> None:
    _require_reason(reason)
    _refuse_staff_target(member, moderator)
    member.account_status = AccountStatus.BANNED
    member.suspended_until = None
    member.status_reason = reason.strip()
    record(moderator, "ban", member, reason)


def unban(member: User, moderator: User, reason: str | None = None) -> None:
    if member.account_status is AccountStatus.ACTIVE:
        raise ModerationError("This member is not suspended or banned.")
    member.account_status = AccountStatus.ACTIVE
    member.suspended_until = None
    member.status_reason = None
    record(moderator, "unban", member, reason)


def set_staff_level(member: User, admin: User, level: StaffLevel, reason: str | None = None):
    if not admin.has_staff_level(StaffLevel.ADMIN):
        raise ModerationError("Only admins can change staff levels.")
    previous = member.staff_level
    member.staff_level = level
    record(admin, "staff-level", member, reason, previous=previous.value, new=level.value)


def _require_reason(reason: str) -> None:
    if not (reason or "").strip():
        raise ModerationError("Give a reason; the member will see it.")


def _refuse_staff_target(member: User, moderator: User) -> None:
    if member.id == moderator.id:
        raise ModerationError("You cannot act on your own account.")
    if member.staff_level.rank >= moderator.staff_level.rank:
        raise ModerationError("You cannot act on staff at or above your own level.")


# --- professional verification ------------------------------------------------------------


def request_verification(member: User, licence_type, licence_number, jurisdiction, note=None):
    if member.community_role.value != "professional":
        raise ModerationError("Only professionals can ask to be verified.")
    if member.verification_status in (VerificationStatus.PENDING, VerificationStatus.VERIFIED):
        raise ModerationError("Your verification is already pending or granted.")
    entry = VerificationRequest(
        user_id=member.id,
        licence_type=licence_type.strip(),
        licence_number=licence_number.strip(),
        jurisdiction=jurisdiction.strip(),
        note=(note or "").strip() or None,
    )
    member.verification_status = VerificationStatus.PENDING
    db.session.add(entry)
    return entry


def decide_verification(entry: VerificationRequest, moderator: User, approve_it: bool, reason=None):
    if entry.user_id == moderator.id:
        raise ModerationError("Another moderator must decide on your own verification.")
    if entry.status is not VerificationStatus.PENDING:
        raise ModerationError("This request has already been decided.")
    if not approve_it:
        _require_reason(reason)
    now = utcnow()
    entry.status = VerificationStatus.VERIFIED if approve_it else VerificationStatus.DECLINED
    entry.decided_by_id = moderator.id
    entry.decided_at = now
    entry.decision_reason = (reason or "").strip() or None
    member = entry.user
    member.verification_status = entry.status
    member.verified_at = now if approve_it else None
    message = (
        "Your credentials were verified: you now carry the “Verified professional” badge."
        if approve_it
        else f"Your verification request was declined: {entry.decision_reason}"
    )
    _notify(member.id, NotificationKind.VERIFICATION, message)
    record(moderator, "verify" if approve_it else "decline-verification", entry, reason)


def revoke_verification(member: User, moderator: User, reason: str) -> None:
    _require_reason(reason)
    if member.verification_status is not VerificationStatus.VERIFIED:
        raise ModerationError("This member is not verified.")
    member.verification_status = VerificationStatus.REVOKED
    member.verified_at = None
    _notify(member.id, NotificationKind.VERIFICATION, f"Your verification was revoked: {reason}")
    record(moderator, "revoke-verification", member, reason)


# --- discussions, polls and words -----------------------------------------------------------


def set_locked(article: Article, moderator: User, locked: bool, reason=None) -> None:
    article.discussion_locked = locked
    record(moderator, "lock" if locked else "unlock", article, reason)


def set_premoderated(article: Article, moderator: User, on: bool, reason=None) -> None:
    article.premoderated = on
    record(moderator, "premoderate" if on else "stop-premoderating", article, reason)


def close_poll(poll: Poll, moderator: User, reason=None) -> None:
    try:
        poll.close()
    except ValueError as error:
        raise ModerationError(str(error)) from error
    record(moderator, "close-poll", poll, reason)


def reopen_poll(poll: Poll, moderator: User, reason=None) -> None:
    try:
        poll.reopen()
    except ValueError as error:
        raise ModerationError(str(error)) from error
    record(moderator, "reopen-poll", poll, reason)


def add_banned_word(word: str, moderator: User) -> BannedWord:
    word = " ".join(word.split()).casefold()
    if not word or len(word) > 80:
        raise ModerationError("A banned word must have 1 to 80 characters.")
    if db.session.scalar(select(BannedWord.id).where(BannedWord.word == word)):
        raise ModerationError("That word is already on the list.")
    entry = BannedWord(word=word, created_by_id=moderator.id)
    db.session.add(entry)
    db.session.flush()
    record(moderator, "ban-word", entry, word=word)
    return entry


def remove_banned_word(entry: BannedWord, moderator: User) -> None:
    record(moderator, "unban-word", entry, word=entry.word)
    db.session.delete(entry)


def banned_word_preview(word: str, limit: int = 20) -> list[Comment]:
    """Recent published comments the word would have caught."""
    pattern = safety.banned_word_pattern([word])
    if pattern is None:
        return []
    first = word.split()[0] if word.split() else word
    candidates = db.session.scalars(
        select(Comment)
        .where(
            Comment.status == CommentStatus.PUBLISHED,
            func.lower(Comment.body_markdown).contains(first.casefold()),
        )
        .order_by(Comment.created_at.desc())
        .limit(500)
    )
    return [c for c in candidates if pattern.search(c.body_markdown)][:limit]
