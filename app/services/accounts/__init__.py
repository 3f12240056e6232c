"""A member's account: joining, logging in, settings, passwords, export and erasure.

Functions flush, never commit; each raises AccountError with a message for the member
(and the form field it belongs to, when there is one).
"""


class AccountError(Exception):
    """Something the member must correct; `field` names the form field it concerns."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
