"""Bulk insertion of a realistic threaded discussion, for load tests and benchmarks."""

import random
from datetime import timedelta

from sqlalchemy import func, insert, select, update

from app.extensions import db
from app.models import Article, Comment, CommentStatus, utcnow
from app.services.infra import page_versions
from app.services.infra.markdown import render_comment

OPENINGS = (
    "I have been in therapy for three years and this question comes up for me a lot.",
    "Speaking as a counselor: we talk about this in supervision more than you would think.",
    "My first reaction was *no*, but reading the article made me less sure.",
    "The dual-relationship point is the one that convinced me.",
    "Confidentiality is the whole game here. Friends of friends can see a lot.",
    "I once ran into my therapist at the grocery store and we both just nodded.",
    "Our practice has a written social media policy we hand out at intake.",
    "Honestly I think it depends on the kind of work you are doing together.",
)
MIDDLES = (
    "What worried me was who else could see the connection.",
    "A **clear policy** up front would have saved a lot of awkwardness.",
    "It felt like the boundary protected *me*, not just the therapist.",
    "The NASW and ACA guidance says roughly the same thing, see [the code](https://example.org/code).",
    "I would not want my clients to see my holiday photos, for their sake as much as mine.",
    "Declining the request felt rejecting at first, but we talked it through in session.",
)
CLOSINGS = (
    "Curious how others handled it.",
    "Would love to hear from people on the other side of the couch.",
    "So my vote was no.",
    "I voted yes, with conditions.",
    "",
)
# Share of new comments that start a thread rather than reply.
TOP_LEVEL_SHARE = 0.3
# Replies mostly go to the recent part of the discussion, as they do on live pages.
RECENT_WINDOW = 200
BATCH = 1000


def _body(rng: random.Random) -> str:
    parts = [rng.choice(OPENINGS), rng.choice(MIDDLES)]
    if rng.random() < 0.5:
        parts.append(rng.choice(MIDDLES))
    closing = rng.choice(CLOSINGS)
    return "\n\n".join(parts + ([closing] if closing else []))


def _plan(member_ids, count, rng):
    """Parents and depths for `count` comments, as positions in creation order."""
    parents: list[int | None] = []
    depths: list[int] = []
    for position in range(count):
        if position == 0 or rng.random() < TOP_LEVEL_SHARE:
            parents.append(None)
            depths.append(0)
        else:
            parent = rng.randrange(max(0, position - RECENT_WINDOW), position)
            parents.append(parent)
            depths.append(depths[parent] + 1)
    return parents, depths


def generate_comments(article_id: int, member_ids, count: int, rng: random.Random) -> int:
    """Insert `count` published comments on the article; returns how many were inserted.

    Comments are inserted level by level (a level's parents already have ids) with
    executemany. Flushes, never commits.
    """
    member_ids = list(member_ids)
    if count <= 0 or not member_ids:
        return 0
    parents, depths = _plan(member_ids, count, rng)
    rendered: dict[str, str] = {}
    start = utcnow() - timedelta(minutes=2 * count)
    rows = []
    for position in range(count):
        text = _body(rng)
        html = rendered.get(text) or rendered.setdefault(text, render_comment(text))
        rows.append(
            {
                "article_id": article_id,
                "author_id": rng.choice(member_ids),
                "body_markdown": text,
                "body_html": html,
                "status": CommentStatus.PUBLISHED,
                "depth": depths[position],
                "featured": rng.random() < 0.002,
                "helpful_count": int(rng.expovariate(0.5)),
                "report_count": 0,
                "crisis_flag": False,
                "created_at": start + timedelta(minutes=2 * position, seconds=rng.randrange(60)),
            }
        )
    ids: list[int | None] = [None] * count
    roots: list[int | None] = [None] * count
    for depth in range(max(depths) + 1):
        level = [p for p in range(count) if depths[p] == depth]
        for offset in range(0, len(level), BATCH):
            chunk = level[offset : offset + BATCH]
            params = []
            for p in chunk:
                parent = parents[p]
                params.append(
                    {
                        **rows[p],
                        "parent_id": ids[parent] if parent is not None else None,
                        "root_id": roots[parent] if parent is not None else None,
                    }
                )
            result = db.session.execute(
                insert(Comment).returning(Comment.id, sort_by_parameter_order=True), params
            )
            for p, new_id in zip(chunk, result.scalars(), strict=True):
                ids[p] = new_id
                roots[p] = roots[parents[p]] if parents[p] is not None else new_id
    db.session.execute(
        update(Comment)
        .where(Comment.article_id == article_id, Comment.parent_id.is_(None))
        .where(Comment.root_id.is_(None))
        .values(root_id=Comment.id)
        .execution_options(synchronize_session=False)
    )
    visible = select(func.count(Comment.id)).where(
        Comment.article_id == article_id, Comment.status == CommentStatus.PUBLISHED
    )
    db.session.execute(
        update(Article)
        .where(Article.id == article_id)
        .values(comment_count=visible.scalar_subquery())
        .execution_options(synchronize_session=False)
    )
    db.session.flush()
    # Inserted in bulk, so the flush listener does not see them: named here.
    slug = db.session.scalar(select(Article.slug).where(Article.id == article_id))
    page_versions.changed(page_versions.article_page(slug), page_versions.COUNTS)
    return count
