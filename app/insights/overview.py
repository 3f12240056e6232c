"""The site-wide comparisons: where clients and professionals differ most, and who takes part."""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.models import Article, Comment, CommentStatus, CommunityRole, User
from app.services.polls.results import ROLE_LABELS, ROLES, Count, PollResults
from app.services.polls.suppression import Disclosure, System, protect


@dataclass(frozen=True)
class Gap:
    poll: object
    option_label: str
    client_share: float
    professional_share: float

    @property
    def points(self) -> float:
        return abs(self.client_share - self.professional_share) * 100


def largest_gap(poll, results: PollResults) -> Gap | None:
    """The answer on which clients' and professionals' shares differ most, among shown cells."""
    clients, professionals = results.group("client"), results.group("professional")
    best = None
    for i, option in enumerate(results.options):
        a, b = clients.options[i].share, professionals.options[i].share
        if a is None or b is None:
            continue
        if best is None or abs(a - b) > abs(best.client_share - best.professional_share):
            best = Gap(poll, option.label, a, b)
    return best


def ranked_gaps(pairs, limit: int = 5) -> list[Gap]:
    gaps = [gap for poll, results in pairs if (gap := largest_gap(poll, results))]
    gaps.sort(key=lambda gap: gap.points, reverse=True)
    return gaps[:limit]


@dataclass(frozen=True)
class Participation:
    key: str
    label: str
    votes_shown: int
    votes_partial: bool  # some polls' counts for this group are too small to show
    commenters: Count


def participation(results_list: list[PollResults]) -> list[Participation]:
    """Votes per community role across polls, and members per role who commented.

    Votes add up only the per-poll group totals the poll pages show, so the sum cannot be
    used to work out a hidden total; where some were hidden the figure reads "at least".
    Commenters are counted with one GROUP BY over published comments joined to their authors.
    """
    k = current_app.config["MIN_GROUP_SIZE"]
    commenters = _commenters_per_role()
    commenter_status = protected_commenters(commenters, k)
    rows = []
    for role in ROLES:
        shown, partial = 0, False
        for results in results_list:
            total = results.group(role).total
            if total.suppressed:
                partial = True
            else:
                shown += total.value
        count = commenters.get(role, 0)
        rows.append(
            Participation(
                role, ROLE_LABELS[role], shown, partial, Count(count, commenter_status[role])
            )
        )
    return rows


def protected_commenters(commenters: dict[str, int], k: int) -> dict[str, Disclosure]:
    """Commenters per role, protected knowing that anyone can count all commenters' names.

    The pseudonyms under the articles give the total; a lone small role would be that total
    minus the others, so it gets a complement like any table of a poll.
    """
    system = System()
    roles = {role: system.variable(commenters.get(role, 0)) for role in ROLES}
    everyone = system.item("everyone", roles.values())
    items = [system.item(role, [index], lines=("roles",)) for role, index in roles.items()]
    return protect(system, items, k, settled={everyone: Disclosure.SHOWN})


def _commenters_per_role() -> dict[str, int]:
    statement = (
        select(User.community_role, func.count(func.distinct(Comment.author_id)))
        .join(User, User.id == Comment.author_id)
        .join(Article, Article.id == Comment.article_id)
        .where(Comment.status == CommentStatus.PUBLISHED, Article.live())
        .group_by(User.community_role)
    )
    return {CommunityRole(role).value: int(n) for role, n in db.session.execute(statement)}
