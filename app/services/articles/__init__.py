"""Articles: writing, scheduling and publishing them with their polls, lists and search."""

from app.services.errors import DomainError


class ArticleError(DomainError):
    """Input the domain refuses, with a message fit to show an editor.

    `field` names the form field the message belongs next to, when there is one.
    """
