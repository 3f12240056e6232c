"""Building the demo site, idempotently: what already exists is kept, the rest is added.

Everything random comes from fixed seeds, so two fresh databases get the same demo. Votes
and comments go through the same services as the site's forms, so tallies, counters,
moderation and notifications stay consistent.
"""

import random
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update

from app.demo import data
from app.demo.content import DemoArticle, load_articles
from app.demo.discussions import Thread
from app.extensions import db
from app.models import (
    Article,
    AuthorProfile,
    Comment,
    CommentStatus,
    CommunityRole,
    Discipline,
    HelpfulMark,
    PollKind,
    StaffLevel,
    User,
    VerificationStatus,
    utcnow,
)
from app.services.articles.writing import ArticleDraft, create_article, publish
from app.services.discussion.comments import post_comment
from app.services.discussion.helpful import set_helpful
from app.services.moderation.review import approve, set_featured
from app.services.polls.voting import cast_vote


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    staff_level: str


@dataclass
class SeedReport:
    accounts: list[DemoAccount] = field(default_factory=list)
    members_created: int = 0
    articles_created: list[str] = field(default_factory=list)
    articles_kept: list[str] = field(default_factory=list)
    votes_cast: int = 0
    comments_posted: int = 0
    helpful_marks: int = 0


@dataclass(frozen=True)
class MemberPlan:
    username: str
    role: CommunityRole
    discipline: Discipline | None = None
    verified: bool = False
    credentials: str | None = None
    show_role_badge: bool = False
    show_stance: bool = False
    joined_days_ago: int = 60


def seed_demo(now: datetime | None = None) -> SeedReport:
    """Add whatever part of the demo site is missing. Flushes; the caller commits."""
    now = now or utcnow()
    demos = load_articles()  # first, so a broken data file stops the seeding before it starts
    report = SeedReport()
    staff = _ensure_staff_accounts(report)
    moderator = staff["moderator"]
    authors = _ensure_authors()
    members = _ensure_members(report, now)
    for demo in demos:
        if db.session.scalar(select(Article.id).where(Article.slug == demo.slug)) is not None:
            report.articles_kept.append(demo.slug)
            continue
        rng = random.Random(f"{data.SEED}:{demo.slug}")
        published_at = demo.published_at(now) - timedelta(minutes=rng.randint(0, 8 * 60))
        article = _create_article(
            demo, authors[demo.author_slug], staff["editor"], published_at, now
        )
        ballots = _ballots(article, demo, members, rng, now)
        # The discussion is written first, so that a ballot cast after a comment finds it:
        # changes of answer then count as made after the discussion opened.
        report.comments_posted += _post_discussion(
            article, demo.discussion.threads, members, moderator, rng, now
        )
        report.helpful_marks += _mark_helpful(article, members, rng, now)
        report.votes_cast += _cast_votes(article, ballots)
        report.articles_created.append(demo.slug)
    return report


def _ensure_staff_accounts(report: SeedReport) -> dict[str, User]:
    """One account per staff level, whose demo password always works after seeding."""
    accounts = {}
    for username, password, level, role, discipline in data.STAFF_ACCOUNTS:
        user = _user(username)
        if user is None:
            user = User(
                username=username,
                community_role=CommunityRole(role),
                discipline=Discipline(discipline) if discipline else None,
                verification_status=(
                    VerificationStatus.VERIFIED if discipline else VerificationStatus.UNVERIFIED
                ),
                approved_comment_count=5 if level != "member" else 0,
            )
            db.session.add(user)
            report.members_created += 1
        if not user.password_hash or not user.check_password(password):
            user.set_password(password)
        user.staff_level = StaffLevel(level)
        accounts[level] = user
        report.accounts.append(DemoAccount(username, password, level))
    db.session.flush()
    return accounts


def _ensure_authors() -> dict[str, AuthorProfile]:
    authors = {}
    for fields in data.AUTHORS:
        author = db.session.scalar(
            select(AuthorProfile).where(AuthorProfile.slug == fields["slug"])
        )
        if author is None:
            author = AuthorProfile(**fields)
            db.session.add(author)
        authors[fields["slug"]] = author
    db.session.flush()
    return authors


def _member_plans() -> list[MemberPlan]:
    rng = random.Random(f"{data.SEED}:members")
    plans = [
        MemberPlan(
            username=username,
            role=CommunityRole(role),
            discipline=Discipline(discipline) if discipline else None,
            verified=verified,
            credentials=credentials,
            show_role_badge=badge,
            show_stance=stance,
            joined_days_ago=rng.randint(45, 400),
        )
        for username, role, discipline, verified, credentials, badge, stance in data.PERSONAS
    ]
    taken = {plan.username for plan in plans}
    first_words, second_words = data.USERNAME_WORDS
    for role, discipline, count, verified_share in data.GENERATED_MEMBERS:
        for _ in range(count):
            username = None
            while username is None or username in taken:
                username = (
                    f"{rng.choice(first_words)}_{rng.choice(second_words)}{rng.randint(2, 99)}"
                )
            taken.add(username)
            plans.append(
                MemberPlan(
                    username=username,
                    role=CommunityRole(role),
                    discipline=Discipline(discipline) if discipline else None,
                    verified=rng.random() < verified_share,
                    show_role_badge=rng.random() < 0.4,
                    show_stance=rng.random() < 0.25,
                    joined_days_ago=rng.randint(40, 700),
                )
            )
    return plans


def _ensure_members(report: SeedReport, now: datetime) -> dict[str, User]:
    """The demo's members. They share one random password nobody knows: they only vote
    and discuss in the demo, while the staff accounts are the ones to log in with."""
    plans = _member_plans()
    existing = {
        user.username: user
        for user in db.session.scalars(
            select(User).where(User.username.in_([plan.username for plan in plans]))
        )
    }
    shared_hash = None
    members = {}
    for plan in plans:
        user = existing.get(plan.username)
        if user is None:
            if shared_hash is None:
                probe = User()
                probe.set_password(secrets.token_urlsafe(24))
                shared_hash = probe.password_hash
            user = _new_member(plan, shared_hash, now)
            db.session.add(user)
            report.members_created += 1
        members[plan.username] = user
    db.session.flush()
    return members


def _new_member(plan: MemberPlan, password_hash: str, now: datetime) -> User:
    joined = now - timedelta(days=plan.joined_days_ago)
    return User(
        username=plan.username,
        password_hash=password_hash,
        community_role=plan.role,
        discipline=plan.discipline,
        credentials=plan.credentials,
        verification_status=(
            VerificationStatus.VERIFIED if plan.verified else VerificationStatus.UNVERIFIED
        ),
        verified_at=joined + timedelta(days=3) if plan.verified else None,
        show_role_badge=plan.show_role_badge,
        show_stance=plan.show_stance,
        created_at=joined,
    )


def _user(username: str) -> User | None:
    return db.session.scalar(select(User).where(User.username == username))


def _create_article(
    demo: DemoArticle, author: AuthorProfile, editor: User, published_at: datetime, now: datetime
) -> Article:
    draft = ArticleDraft(
        title=demo.title,
        body_markdown=demo.body,
        summary=demo.summary,
        author=author,
        tags=demo.tags,
        slug=demo.slug,
        poll=demo.poll_spec(now),
        language=demo.language,
    )
    article = create_article(draft, created_by=editor)
    publish(article)
    # The demo tells a story over several weeks, so each article keeps its own date.
    article.published_at = article.created_at = published_at
    article.poll.created_at = article.published_at
    db.session.flush()
    return article


# --- votes -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ballot:
    at: datetime
    option_ids: list[int]
    user: User | None = None
    voter_token: str | None = None
    role: CommunityRole | None = None


def _ballots(article, demo, members, rng, now) -> list[Ballot]:
    ballots = _member_ballots(article, demo, members, rng, now)
    if demo.allow_anonymous:
        ballots += _anonymous_ballots(article, demo, rng, now)
    ballots.sort(key=lambda ballot: ballot.at)
    return ballots


def _cast_votes(article, ballots: list[Ballot]) -> int:
    for ballot in ballots:
        cast_vote(
            article.poll,
            ballot.option_ids,
            user=ballot.user,
            voter_token=ballot.voter_token,
            role=ballot.role,
            now=ballot.at,
        )
    return len(ballots)


def _voting_window(article: Article, now: datetime) -> tuple[datetime, float]:
    start = article.published_at + timedelta(minutes=5)
    end = min(now, article.poll.closes_at or now) - timedelta(minutes=5)
    return start, (end - start).total_seconds()


def _moment(start: datetime, seconds: float, rng: random.Random) -> datetime:
    # Most votes come in the first days after publication.
    return start + timedelta(seconds=seconds * rng.random() ** 2)


def _member_ballots(article, demo, members, rng, now) -> list[Ballot]:
    start, seconds = _voting_window(article, now)
    end = start + timedelta(seconds=seconds)
    options = [option.id for option in article.poll.options]
    chosen = demo.discussion.votes
    ballots = []
    for username, user in members.items():
        role = user.community_role.value
        if username in chosen:
            first = [options[i] for i in chosen[username]]
        elif rng.random() < data.TURNOUT[role]:
            first = _pick(demo, role, options, rng)
        else:
            continue
        at = _moment(start, seconds, rng)
        if username not in chosen and rng.random() < data.CHANGE_RATE:
            # Some voters answer once, read the discussion, and come back with another answer.
            ballots.append(Ballot(at, _pick(demo, role, options, rng), user=user))
            at += (end - at) * rng.uniform(0.2, 0.8)
        ballots.append(Ballot(at, first, user=user))
    return ballots


def _anonymous_ballots(article, demo, rng, now) -> list[Ballot]:
    start, seconds = _voting_window(article, now)
    options = [option.id for option in article.poll.options]
    ballots = []
    for _ in range(data.ANONYMOUS_VOTES):
        role = rng.choices(
            [CommunityRole.CLIENT, CommunityRole.READER, CommunityRole.PROFESSIONAL],
            weights=[5, 4, 2],
        )[0]
        ballots.append(
            Ballot(
                _moment(start, seconds, rng),
                _pick(demo, role.value, options, rng),
                voter_token=f"demo-{rng.getrandbits(128):032x}",
                role=role,
            )
        )
    return ballots


def _pick(demo: DemoArticle, role: str, options: list[int], rng: random.Random) -> list[int]:
    leaning = demo.discussion.leanings[role]
    if demo.poll_kind is PollKind.SINGLE:
        return rng.choices(options, weights=leaning)
    picks = [
        option for option, chance in zip(options, leaning, strict=True) if rng.random() < chance
    ]
    return picks or [options[max(range(len(options)), key=leaning.__getitem__)]]


# --- discussions -----------------------------------------------------------------------------


def _post_discussion(article, threads: tuple[Thread, ...], members, moderator, rng, now) -> int:
    start = article.published_at
    posted = 0
    busiest, busiest_size = None, 0
    for thread in threads:
        at = start + (now - start) * rng.uniform(0.05, 0.6)
        root, size = _post_thread(article, thread, None, at, members, moderator, rng, now)
        posted += size
        if size > busiest_size:
            busiest, busiest_size = root, size
    if busiest is not None:
        set_featured(busiest, moderator, True)
    return posted


# How widely a comment appeals to one group: the share of its members who mark it helpful.
APPEAL = (0.0, 0.0, 0.03, 0.08, 0.2, 0.3)


def _mark_helpful(article, members, rng, now) -> int:
    """Clients and professionals mark comments helpful, each group to its own taste, so that
    a few comments are found helpful by both groups (common ground) and most by one or none."""
    groups = [
        [member for member in members.values() if member.community_role is role]
        for role in (CommunityRole.CLIENT, CommunityRole.PROFESSIONAL)
    ]
    comments = db.session.scalars(
        select(Comment)
        .where(Comment.article_id == article.id, Comment.status == CommentStatus.PUBLISHED)
        .order_by(Comment.id)
    ).all()
    marks = 0
    for comment in comments:
        for group in groups:
            appeal = rng.choice(APPEAL)
            for member in group:
                if member.id != comment.author_id and rng.random() < appeal:
                    set_helpful(comment, member, marked=True)
                    marks += 1
                    marked_at = _moment(
                        comment.created_at, (now - comment.created_at).total_seconds(), rng
                    )
                    db.session.execute(
                        update(HelpfulMark)
                        .where(
                            HelpfulMark.comment_id == comment.id, HelpfulMark.user_id == member.id
                        )
                        .values(created_at=marked_at)
                    )
    return marks


def _post_thread(article, thread: Thread, parent, at, members, moderator, rng, now):
    """Post one comment and its replies, each a little later than what it answers."""
    comment = post_comment(article, members[thread.author], thread.text, parent=parent, now=at)
    if comment.status is CommentStatus.PENDING:
        # A member's first comments wait for review, as on the live site.
        approve(comment, moderator)
    size = 1
    for reply in thread.replies:
        reply_at = at + (now - at) * rng.uniform(0.05, 0.35)
        _, count = _post_thread(article, reply, comment, reply_at, members, moderator, rng, now)
        size += count
    return comment, size
