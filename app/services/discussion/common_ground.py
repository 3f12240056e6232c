"""Common ground: how helpful both clients and professionals found a comment, in SQL.

The score. For each group, the share of its members who marked a comment helpful, out of
the members of that group who marked any comment of the discussion helpful (those who took
part in rating it). A share out of a few people says little, so each group's share is
taken at the low end of its 95% Wilson interval (as poll shares are), and the comment's
score is the lower of the two groups' bounds: it is high only when both groups found the
comment helpful, and when enough people of each said so to be fairly sure. Marks count by
the role the member had when they marked.

Why not a matrix factorisation, as Community Notes does: it needs many raters per comment
to separate a comment's helpfulness from its raters' leanings, a discussion here has far
fewer, and its score could not be explained in a sentence. Here the groups are known from
the roles members declare, so the leaning the factorisation looks for is given.

Privacy. A comment gets the badge "Found helpful by clients and professionals" only when
each group gave at least k marks (MIN_GROUP_SIZE); only then does it have a score, and
the score is never published as a number, only as an order among the comments that have
the badge: an exact score could be worked back into the counts of each group. The comments
without the badge follow them in an order built from public numbers alone.

Everything is computed by the database from counters on each comment
(`client_helpful_count`, `professional_helpful_count`) and the article's rows of markers
(HelpfulMarker), all kept with the marks, so a page's queries do not grow with its
comments or marks.
"""

from flask import current_app
from sqlalchemy import (
    Boolean,
    Float,
    and_,
    case,
    cast,
    func,
    literal,
    select,
    type_coerce,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction

from app.models import Comment, CommunityRole, HelpfulMarker
from app.services.polls.stats import Z_95

# Below every score a comment with the badge can have (a Wilson lower bound is at least 0).
NO_SCORE = -1.0


def min_group_size() -> int:
    """k: the fewest marks from each group that the badge and the score need."""
    return max(1, current_app.config["MIN_GROUP_SIZE"])


def found_helpful_by_both(k: int):
    """SQL, true or false: the comment has the badge (k marks or more from each group)."""
    return type_coerce(
        and_(Comment.client_helpful_count >= k, Comment.professional_helpful_count >= k),
        Boolean,
    )


def score(article_id: int, k: int):
    """SQL: the comment's common-ground score, or NO_SCORE without the badge.

    Meant for ORDER BY only; see the module's docstring for why it is never shown.
    """
    return case(
        (
            found_helpful_by_both(k),
            Least(
                wilson_lower_bound(
                    Comment.client_helpful_count, markers(article_id, CommunityRole.CLIENT)
                ),
                wilson_lower_bound(
                    Comment.professional_helpful_count,
                    markers(article_id, CommunityRole.PROFESSIONAL),
                ),
            ),
        ),
        else_=literal(NO_SCORE),
    )


def markers(article_id: int, role: CommunityRole):
    """SQL: members who marked any comment of the article helpful while in `role`."""
    return (
        select(func.count())
        .select_from(HelpfulMarker)
        .where(HelpfulMarker.article_id == article_id, HelpfulMarker.marker_role == role)
        .scalar_subquery()
    )


def wilson_lower_bound(successes, trials, z: float = Z_95):
    """SQL: the low end of the Wilson interval of successes / trials (trials > 0).

    The formula of app.services.polls.stats.wilson_interval, multiplied through by the
    number of trials so that it needs no share: (c + z²/2 − z·√(c(n−c)/n + z²/4)) / (n + z²).
    """
    c = cast(successes, Float)
    n = cast(trials, Float)
    z2 = z * z
    return (c + z2 / 2 - z * func.sqrt(c * (n - c) / n + z2 / 4)) / (n + z2)


class Least(GenericFunction):
    """The smaller of its arguments: LEAST on PostgreSQL, the two-argument min() on SQLite."""

    name = "least"
    type = Float()
    inherit_cache = True


@compiles(Least, "sqlite")
def _least_on_sqlite(element, compiler, **kw):
    return f"min({compiler.process(element.clauses, **kw)})"
