"""A member's account: joining, logging in, settings, passwords, export and erasure.

Functions flush, never commit; each raises AccountError with a message for the member
(and the form field it belongs to, when there is one).
"""

from app.services.errors import DomainError


class AccountError(DomainError):
    """Something the member must correct; `field` names the form field it concerns."""
