"""Threads built in memory from one flat, already-sorted list of comments, in linear time."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from app.models import Comment, CommentStatus
from app.services.discussion.shown import ShownComment

# Pages build threads from ShownComment rows; a lone comment may still be the model itself.
AnyComment = Comment | ShownComment


class Visibility(StrEnum):
    SHOWN = "shown"  # the viewer reads its text
    PLACEHOLDER = "placeholder"  # a marker that keeps replies in place, without text
    NONE = "none"  # not for this viewer


@dataclass(slots=True, eq=False)
class CommentNode:
    comment: AnyComment
    visibility: Visibility
    children: list["CommentNode"] = field(default_factory=list)
    # Comments under this one that the viewer can read, at any depth.
    reply_count: int = 0

    @property
    def id(self) -> int:
        return self.comment.id

    @property
    def shown(self) -> bool:
        return self.visibility is Visibility.SHOWN


def visibility_for(viewer_id: int | None) -> Callable[[AnyComment], Visibility]:
    """What a viewer may see of each comment: the author also sees their own under review."""

    def decide(comment: AnyComment) -> Visibility:
        if comment.status is CommentStatus.PUBLISHED:
            return Visibility.SHOWN
        if comment.status in (CommentStatus.PENDING, CommentStatus.HIDDEN):
            if viewer_id is not None and comment.author_id == viewer_id:
                return Visibility.SHOWN
            return Visibility.PLACEHOLDER
        return Visibility.PLACEHOLDER

    return decide


def build_threads(
    root_ids: Iterable[int],
    comments: Iterable[ShownComment],
    visibility: Callable[[AnyComment], Visibility],
) -> list[CommentNode]:
    """The threads under root_ids, in that order, siblings in the order of `comments`.

    Placeholders (deleted, removed, or under review for someone else) are kept only
    where a readable reply hangs below them. Each comment is visited a constant
    number of times, so the cost grows linearly with the size of the threads.
    """
    nodes: dict[int, CommentNode] = {}
    by_depth: dict[int, list[CommentNode]] = {}
    for comment in comments:
        node = CommentNode(comment, visibility(comment))
        nodes[comment.id] = node
        by_depth.setdefault(comment.depth, []).append(node)
    for node in nodes.values():
        parent = nodes.get(node.comment.parent_id) if node.comment.parent_id else None
        if parent is not None:
            parent.children.append(node)
    # Deepest first, so every child is settled before its parent looks at it.
    for depth in sorted(by_depth, reverse=True):
        for node in by_depth[depth]:
            _settle(node)
    threads = []
    for root_id in root_ids:
        root = nodes.get(root_id)
        if root is not None and _kept(root):
            threads.append(root)
    return threads


def _settle(node: CommentNode) -> None:
    kept = [child for child in node.children if _kept(child)]
    node.children = kept
    node.reply_count = sum(child.reply_count + (1 if child.shown else 0) for child in kept)


def _kept(node: CommentNode) -> bool:
    if node.visibility is Visibility.SHOWN:
        return True
    return node.visibility is Visibility.PLACEHOLDER and node.reply_count > 0


def path_to(comment_id: int, comments: Iterable[ShownComment]) -> list[ShownComment]:
    """The ancestors of a comment, top-level first, from the comments of its thread."""
    by_id = {comment.id: comment for comment in comments}
    path = []
    current = by_id.get(comment_id)
    while current is not None and current.parent_id is not None:
        current = by_id.get(current.parent_id)
        if current is not None:
            path.append(current)
    path.reverse()
    return path
