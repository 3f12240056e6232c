"""Members, their community role and staff level, and author profiles."""

import hashlib
from datetime import datetime
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import N_, Base, enum_type, utcnow


class CommunityRole(StrEnum):
    CLIENT = "client"
    PROFESSIONAL = "professional"
    READER = "reader"

    @property
    def label(self) -> str:
        return {
            "client": N_("Client"),
            "professional": N_("Professional"),
            "reader": N_("Reader"),
        }[self.value]

    @property
    def plural_label(self) -> str:
        """The group, as breakdowns and filters name it."""
        return {
            "client": N_("Clients"),
            "professional": N_("Professionals"),
            "reader": N_("Readers"),
        }[self.value]


class Discipline(StrEnum):
    COUNSELOR = "counselor"
    PSYCHOLOGIST = "psychologist"
    SOCIAL_WORKER = "social_worker"
    PSYCHOTHERAPIST = "psychotherapist"
    PSYCHIATRIST = "psychiatrist"
    COACH = "coach"
    OTHER = "other"

    @property
    def label(self) -> str:
        return {
            "counselor": N_("Counselor / therapist"),
            "psychologist": N_("Psychologist"),
            "social_worker": N_("Social worker"),
            "psychotherapist": N_("Psychotherapist"),
            "psychiatrist": N_("Psychiatrist"),
            "coach": N_("Coach"),
            "other": N_("Other discipline"),
        }[self.value]


class VerificationStatus(StrEnum):
    UNVERIFIED = "unverified"
    PENDING = "pending"
    VERIFIED = "verified"
    DECLINED = "declined"
    REVOKED = "revoked"


class StaffLevel(StrEnum):
    MEMBER = "member"
    MODERATOR = "moderator"
    EDITOR = "editor"
    ADMIN = "admin"

    @property
    def rank(self) -> int:
        return list(StaffLevel).index(self)

    def at_least(self, other: "StaffLevel") -> bool:
        return self.rank >= other.rank


class MailFrequency(StrEnum):
    """How often a member wants e-mail about one kind of news; the inbox gets it all anyway."""

    IMMEDIATELY = "immediately"
    DAILY = "daily"
    WEEKLY = "weekly"
    NEVER = "never"

    @property
    def label(self) -> str:
        return {
            "immediately": N_("At once, one e-mail each"),
            "daily": N_("In a daily digest"),
            "weekly": N_("In a weekly digest"),
            "never": N_("Never"),
        }[self.value]


class MailTopic(StrEnum):
    """What a member can get e-mails about, each at a frequency of their own."""

    REPLIES = "replies"
    FOLLOWS = "follows"

    @property
    def setting(self) -> str:
        """The member's column that holds the frequency."""
        return {"replies": "reply_emails", "follows": "follow_emails"}[self.value]

    @property
    def label(self) -> str:
        return {
            "replies": N_("replies to your comments"),
            "follows": N_("new comments on articles you follow"),
        }[self.value]


class AccountStatus(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"
    BANNED = "banned"


def _password_hasher() -> PasswordHasher:
    config = current_app.config
    return PasswordHasher(
        time_cost=config.get("ARGON2_TIME_COST", 3),
        memory_cost=config.get("ARGON2_MEMORY_COST", 65536),
    )


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(30), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))

    community_role: Mapped[CommunityRole] = mapped_column(
        enum_type(CommunityRole, "community_role"), default=CommunityRole.READER
    )
    discipline: Mapped[Discipline | None] = mapped_column(enum_type(Discipline, "discipline"))
    credentials: Mapped[str | None] = mapped_column(String(120))
    verification_status: Mapped[VerificationStatus] = mapped_column(
        enum_type(VerificationStatus, "verification_status"),
        default=VerificationStatus.UNVERIFIED,
    )
    verified_at: Mapped[datetime | None]

    staff_level: Mapped[StaffLevel] = mapped_column(
        enum_type(StaffLevel, "staff_level"), default=StaffLevel.MEMBER
    )
    account_status: Mapped[AccountStatus] = mapped_column(
        enum_type(AccountStatus, "account_status"), default=AccountStatus.ACTIVE
    )
    suspended_until: Mapped[datetime | None]
    status_reason: Mapped[str | None] = mapped_column(Text)
    trust_score: Mapped[int] = mapped_column(Integer, default=0)
    approved_comment_count: Mapped[int] = mapped_column(Integer, default=0)

    show_role_badge: Mapped[bool] = mapped_column(Boolean, default=False)
    show_verified_badge: Mapped[bool] = mapped_column(Boolean, default=True)
    show_stance: Mapped[bool] = mapped_column(Boolean, default=False)
    reply_emails: Mapped[MailFrequency] = mapped_column(
        enum_type(MailFrequency, "reply_emails"), default=MailFrequency.NEVER
    )
    follow_emails: Mapped[MailFrequency] = mapped_column(
        enum_type(MailFrequency, "follow_emails"), default=MailFrequency.NEVER
    )
    # Posting a comment on an article follows it, for members who ask for that.
    follow_on_comment: Mapped[bool] = mapped_column(Boolean, default=False)
    # The language the site speaks to them (a code of LANGUAGES); None: their browser's.
    language: Mapped[str | None] = mapped_column(String(8))

    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author_profile: Mapped["AuthorProfile | None"] = relationship(back_populates="user")
    verification_requests: Mapped[list["VerificationRequest"]] = relationship(
        back_populates="user",
        order_by="VerificationRequest.created_at.desc()",
        foreign_keys="VerificationRequest.user_id",
    )

    def __repr__(self) -> str:
        return f"<User {self.username}>"

    # The login (a MemberSession's id and secret) this object was loaded for or has just
    # started; set where logins are checked and started (app/services/accounts/sessions.py,
    # app/accounts/logins.py), never stored in this table.
    session_token = None

    def get_id(self) -> str:
        """What Flask-Login keeps in the session and remember-me cookies: this login's token."""
        if self.session_token is None:
            raise RuntimeError("start a member session before logging a member in")
        return self.session_token

    def __eq__(self, other):
        # Flask-Login's UserMixin compares get_id(), which is now a login, not a member.
        if not isinstance(other, User):
            return NotImplemented
        if self.id is None or other.id is None:
            return self is other
        return self.id == other.id

    __hash__ = object.__hash__

    @property
    def session_fingerprint(self) -> str:
        """Changes with the password, so a reset link works once."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]

    def set_password(self, password: str) -> None:
        self.password_hash = _password_hasher().hash(password)

    def check_password(self, password: str) -> bool:
        try:
            return _password_hasher().verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def mail_frequency(self, topic: MailTopic) -> MailFrequency:
        return getattr(self, topic.setting)

    def wants_mail(self, topic: MailTopic, frequency: MailFrequency) -> bool:
        """Whether this member gets e-mail about `topic` at `frequency` (and has an address)."""
        return bool(self.email) and self.mail_frequency(topic) is frequency

    @property
    def is_verified_professional(self) -> bool:
        return (
            self.community_role is CommunityRole.PROFESSIONAL
            and self.verification_status is VerificationStatus.VERIFIED
        )

    def has_staff_level(self, level: StaffLevel | str) -> bool:
        return self.staff_level.at_least(StaffLevel(level))

    @property
    def is_staff(self) -> bool:
        return self.staff_level is not StaffLevel.MEMBER

    def is_restricted(self, now: datetime | None = None) -> bool:
        """True while the member may not comment, vote or report."""
        if self.account_status is AccountStatus.BANNED:
            return True
        if self.account_status is AccountStatus.SUSPENDED:
            return self.suspended_until is None or self.suspended_until > (now or utcnow())
        return False

    @property
    def badge(self) -> str | None:
        """The badge this member chose to show on comments, if any."""
        return badge_for(
            self.community_role,
            self.show_role_badge,
            self.verification_status,
            self.show_verified_badge,
        )


def badge_for(
    community_role: CommunityRole,
    show_role_badge: bool,
    verification_status: VerificationStatus,
    show_verified_badge: bool,
) -> str | None:
    """The badge a member with these settings shows on comments, if any."""
    if (
        show_verified_badge
        and community_role is CommunityRole.PROFESSIONAL
        and verification_status is VerificationStatus.VERIFIED
    ):
        return N_("Verified professional")
    if show_role_badge and community_role is not CommunityRole.READER:
        return community_role.label
    return None


# "Robin" and "robin" are the same member to readers, and an address is the same whatever
# its case: the database refuses a second one even when two sign-ups race.
Index("uq_users_username_lower", func.lower(User.username), unique=True)
Index("uq_users_email_lower", func.lower(User.email), unique=True)


class VerificationRequest(Base):
    """A professional's credential details, awaiting a moderator's decision."""

    __tablename__ = "verification_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    licence_type: Mapped[str] = mapped_column(String(80))
    licence_number: Mapped[str] = mapped_column(String(80))
    jurisdiction: Mapped[str] = mapped_column(String(120))
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[VerificationStatus] = mapped_column(
        enum_type(VerificationStatus, "verification_request_status"),
        default=VerificationStatus.PENDING,
    )
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(
        back_populates="verification_requests", foreign_keys=[user_id]
    )
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class AuthorProfile(Base):
    """The byline of articles: a person or an organisation, with credentials."""

    __tablename__ = "author_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    organisation: Mapped[str | None] = mapped_column(String(160))
    location: Mapped[str | None] = mapped_column(String(120))
    credentials: Mapped[str | None] = mapped_column(String(120))
    bio: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User | None] = relationship(back_populates="author_profile")
    articles: Mapped[list["Article"]] = relationship(back_populates="author")  # noqa: F821

    def __repr__(self) -> str:
        return f"<AuthorProfile {self.slug}>"
