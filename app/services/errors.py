"""The domain's refusals: what a service raises when the rules say no.

Every refusal carries a message fit to show the person who asked and, when it belongs next to
one form field, that field's name. Each domain has its own family (AccountError, VotingError…);
the kinds below say why something was refused, and the web layer alone (app/errors.py) decides
what that means in HTTP.
"""


class DomainError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotFound(DomainError):
    """What was asked for does not exist, or not for this reader."""


class LoginRequired(DomainError):
    """Only members may do this."""


class NotPermitted(DomainError):
    """This person may not do this (restricted account, someone else's comment, staff rules)."""


class Conflict(DomainError):
    """The thing's present state refuses it (a closed poll, something already done)."""
