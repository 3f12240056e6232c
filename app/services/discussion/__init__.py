"""Discussion: comments and their threads, helpful marks and reply notifications."""

from app.services.errors import DomainError


class DiscussionError(DomainError):
    """Something a discussion refuses; the message is shown to the member."""
