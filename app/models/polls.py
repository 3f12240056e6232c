"""Polls attached to articles, their options, and the votes cast in them."""

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    PrimaryKeyConstraint,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, enum_type, utcnow
from app.models.users import CommunityRole, Discipline


class PollKind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"


class ResultsVisibility(StrEnum):
    ALWAYS = "always"
    AFTER_VOTE = "after-vote"
    AFTER_CLOSE = "after-close"


class PollStatus(StrEnum):
    NOT_YET_OPEN = "not-yet-open"
    OPEN = "open"
    CLOSED = "closed"


class Poll(Base):
    __tablename__ = "polls"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), unique=True
    )
    question: Mapped[str] = mapped_column(String(300))
    kind: Mapped[PollKind] = mapped_column(
        enum_type(PollKind, "poll_kind"), default=PollKind.SINGLE
    )
    results_visibility: Mapped[ResultsVisibility] = mapped_column(
        enum_type(ResultsVisibility, "results_visibility"), default=ResultsVisibility.ALWAYS
    )
    allow_anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    opens_at: Mapped[datetime | None]
    closes_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    article: Mapped["Article"] = relationship(back_populates="poll")  # noqa: F821
    options: Mapped[list["PollOption"]] = relationship(
        back_populates="poll", order_by="PollOption.position", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Poll {self.id} {self.question!r}>"

    @property
    def language(self) -> str:
        """The question and its options are in the language of the article."""
        return self.article.language

    def status(self, now: datetime | None = None) -> PollStatus:
        now = now or utcnow()
        if self.closed_at is not None or (self.closes_at is not None and self.closes_at <= now):
            return PollStatus.CLOSED
        if self.opens_at is not None and self.opens_at > now:
            return PollStatus.NOT_YET_OPEN
        return PollStatus.OPEN

    def results_visible(self, has_voted: bool, now: datetime | None = None) -> bool:
        """Whether a reader who has (or has not) voted may see the results now."""
        if self.results_visibility is ResultsVisibility.ALWAYS:
            return True
        closed = self.status(now) is PollStatus.CLOSED
        if self.results_visibility is ResultsVisibility.AFTER_VOTE:
            return has_voted or closed
        return closed

    def close(self, now: datetime | None = None) -> None:
        if self.status(now) is PollStatus.CLOSED:
            raise ValueError("The poll is already closed.")
        self.closed_at = now or utcnow()

    def reopen(self, now: datetime | None = None) -> None:
        if self.closed_at is None:
            raise ValueError("The poll was not closed by a moderator.")
        self.closed_at = None
        if self.closes_at is not None and self.closes_at <= (now or utcnow()):
            self.closes_at = None


class PollOption(Base):
    __tablename__ = "poll_options"
    __table_args__ = (UniqueConstraint("poll_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(120))

    poll: Mapped[Poll] = relationship(back_populates="options")

    def __repr__(self) -> str:
        return f"<PollOption {self.id} {self.label!r}>"


class Vote(Base):
    """One voter's current answer to a poll, with who they were when they answered."""

    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("poll_id", "user_id"),
        UniqueConstraint("poll_id", "voter_token"),
        CheckConstraint("(user_id IS NOT NULL) OR (voter_token IS NOT NULL)", name="has_voter"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    voter_token: Mapped[str | None] = mapped_column(String(64))
    voter_role: Mapped[CommunityRole] = mapped_column(enum_type(CommunityRole, "voter_role"))
    voter_discipline: Mapped[Discipline | None] = mapped_column(
        enum_type(Discipline, "voter_discipline")
    )
    voter_verified: Mapped[bool] = mapped_column(Boolean, default=False)
    address_hash: Mapped[str | None] = mapped_column(String(64))
    # How many times the voter changed their answer, so stance changes are counted
    # without reading the history of every voter.
    change_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    choices: Mapped[list["VoteChoice"]] = relationship(
        back_populates="vote", cascade="all, delete-orphan"
    )
    history: Mapped[list["VoteHistory"]] = relationship(
        back_populates="vote", cascade="all, delete-orphan", order_by="VoteHistory.cast_at"
    )

    @property
    def is_member_vote(self) -> bool:
        return self.voter_token is None


class VoteChoice(Base):
    __tablename__ = "vote_choices"

    vote_id: Mapped[int] = mapped_column(
        ForeignKey("votes.id", ondelete="CASCADE"), primary_key=True
    )
    option_id: Mapped[int] = mapped_column(
        ForeignKey("poll_options.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    vote: Mapped[Vote] = relationship(back_populates="choices")
    option: Mapped[PollOption] = relationship()


class VoteHistory(Base):
    """Every answer a voter gave, so stance changes can be counted."""

    __tablename__ = "vote_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    vote_id: Mapped[int] = mapped_column(ForeignKey("votes.id", ondelete="CASCADE"), index=True)
    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"), index=True)
    option_ids: Mapped[list[int]] = mapped_column(JSON)
    # Whether the voter was a verified professional when casting this ballot, so the
    # daily tallies can be rebuilt exactly as they were counted.
    voter_verified: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # The voter's community role when casting this ballot, so a change of answer is counted
    # in the group the voter was in at the time, even after a rebuild.
    voter_role: Mapped[str | None] = mapped_column(String(20))
    cast_at: Mapped[datetime] = mapped_column(default=utcnow)

    vote: Mapped[Vote] = relationship(back_populates="history")


# Tally tables: one row per group of voters, kept current in the same transaction as each
# vote, so reading results costs the same for a thousand votes as for a million. The
# discipline is "" rather than NULL in keys, because NULLs never conflict in a unique key.
NO_DISCIPLINE = ""


class OptionTally(Base):
    """Current answers for one option from one group of voters."""

    __tablename__ = "poll_option_tallies"
    __table_args__ = (
        PrimaryKeyConstraint(
            "poll_id", "option_id", "voter_role", "voter_discipline", "member", "verified"
        ),
    )

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    option_id: Mapped[int] = mapped_column(ForeignKey("poll_options.id", ondelete="CASCADE"))
    voter_role: Mapped[str] = mapped_column(String(20))
    voter_discipline: Mapped[str] = mapped_column(String(20), default=NO_DISCIPLINE)
    member: Mapped[bool] = mapped_column(Boolean)
    verified: Mapped[bool] = mapped_column(Boolean)
    count: Mapped[int] = mapped_column(Integer, default=0)


class VoterTally(Base):
    """How many voters one group counts in a poll."""

    __tablename__ = "poll_voter_tallies"
    __table_args__ = (
        PrimaryKeyConstraint("poll_id", "voter_role", "voter_discipline", "member", "verified"),
    )

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    voter_role: Mapped[str] = mapped_column(String(20))
    voter_discipline: Mapped[str] = mapped_column(String(20), default=NO_DISCIPLINE)
    member: Mapped[bool] = mapped_column(Boolean)
    verified: Mapped[bool] = mapped_column(Boolean)
    voters: Mapped[int] = mapped_column(Integer, default=0)


class DailyTally(Base):
    """Ballots cast on one day for one option (first votes and changes alike)."""

    __tablename__ = "poll_daily_tallies"
    __table_args__ = (PrimaryKeyConstraint("poll_id", "day", "option_id", "member", "verified"),)

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    option_id: Mapped[int] = mapped_column(ForeignKey("poll_options.id", ondelete="CASCADE"))
    member: Mapped[bool] = mapped_column(Boolean)
    verified: Mapped[bool] = mapped_column(Boolean)
    count: Mapped[int] = mapped_column(Integer, default=0)


class StanceTally(Base):
    """How many voters of a poll changed their answer, and how many changes there were."""

    __tablename__ = "poll_stance_tallies"

    poll_id: Mapped[int] = mapped_column(
        ForeignKey("polls.id", ondelete="CASCADE"), primary_key=True
    )
    voters_who_changed: Mapped[int] = mapped_column(Integer, default=0)
    changes: Mapped[int] = mapped_column(Integer, default=0)


class Engagement(StrEnum):
    """What a voter who changed their answer had done in the discussion since their last ballot."""

    JOINED = "joined"  # posted, replied or marked a comment helpful in between
    NOT_JOINED = "not_joined"  # a member who did none of these
    ANONYMOUS = "anonymous"  # an anonymous reader: whether they read it cannot be known


# The from and to of a change in a multiple-choice poll: answers there are sets of options,
# so its changes are counted without saying which answers they moved between.
ANY_ANSWER = 0


class ChangeTally(Base):
    """Changes of answer made after an article's discussion opened, per group and engagement.

    Counted when the change is cast: from which option to which (ANY_ANSWER for multiple-choice
    polls), the voter's community role on that ballot, and whether they had taken part in the
    discussion since their previous ballot.
    """

    __tablename__ = "poll_change_tallies"
    __table_args__ = (
        PrimaryKeyConstraint(
            "poll_id", "from_option_id", "to_option_id", "voter_role", "engagement"
        ),
    )

    poll_id: Mapped[int] = mapped_column(ForeignKey("polls.id", ondelete="CASCADE"))
    # Options of a poll with votes never change, so plain ids (or ANY_ANSWER) are enough.
    from_option_id: Mapped[int] = mapped_column(Integer)
    to_option_id: Mapped[int] = mapped_column(Integer)
    voter_role: Mapped[str] = mapped_column(String(20))
    engagement: Mapped[str] = mapped_column(String(20))
    count: Mapped[int] = mapped_column(Integer, default=0)
