"""The data model, one module per aggregate."""

from app.models.articles import Article, ArticleStatus, InvalidTransition, Tag, article_tags
from app.models.base import Base, as_utc, iso_utc, utcnow
from app.models.comments import Comment, CommentRevision, CommentStatus, HelpfulMark
from app.models.follows import Follow
from app.models.moderation import (
    Appeal,
    AppealStatus,
    BannedWord,
    ModerationAction,
    Report,
    ReportReason,
)
from app.models.notifications import Notification, NotificationKind
from app.models.outbox import OutboxMessage, OutboxStatus
from app.models.polls import (
    Poll,
    PollKind,
    PollOption,
    PollStatus,
    ResultsVisibility,
    Vote,
    VoteChoice,
    VoteHistory,
)
from app.models.sessions import MemberSession
from app.models.users import (
    AccountStatus,
    AuthorProfile,
    CommunityRole,
    Discipline,
    MailFrequency,
    MailTopic,
    StaffLevel,
    User,
    VerificationRequest,
    VerificationStatus,
)

__all__ = [
    "AccountStatus",
    "Appeal",
    "AppealStatus",
    "Article",
    "ArticleStatus",
    "AuthorProfile",
    "BannedWord",
    "Base",
    "Comment",
    "CommentRevision",
    "CommentStatus",
    "CommunityRole",
    "Discipline",
    "Follow",
    "HelpfulMark",
    "InvalidTransition",
    "MailFrequency",
    "MailTopic",
    "MemberSession",
    "ModerationAction",
    "Notification",
    "NotificationKind",
    "OutboxMessage",
    "OutboxStatus",
    "Poll",
    "PollKind",
    "PollOption",
    "PollStatus",
    "Report",
    "ReportReason",
    "ResultsVisibility",
    "StaffLevel",
    "Tag",
    "User",
    "VerificationRequest",
    "VerificationStatus",
    "Vote",
    "VoteChoice",
    "VoteHistory",
    "article_tags",
    "as_utc",
    "iso_utc",
    "utcnow",
]
