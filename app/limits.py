"""Limits on what can be abused: one decorator per action, each limit a setting.

Every action is counted per network address and, where someone is logged in or named, per
account; members who are not trusted yet have lower daily caps on comments and reports. The
counts live in Flask-Limiter's storage (Redis in production, shared by every worker). A refused
request answers 429 with `Retry-After` (see app/errors.py).
"""

from collections.abc import Callable
from math import ceil
from time import time

import redis
from flask import current_app, request
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from app.extensions import limiter
from app.services.moderation.trust import is_trusted

# Longer than any username or e-mail address, so that a key cannot be made arbitrarily large.
NAME_KEY_LENGTH = 254
# Connections to Redis one process opens for the counts. Past them a request waits for one,
# up to the seconds below, instead of failing: the event-stream server's gevent worker checks
# hundreds of requests at once.
STORAGE_CONNECTIONS = 50
STORAGE_WAIT_SECONDS = 10


def storage_options(config) -> dict:
    """Flask-Limiter's RATELIMIT_STORAGE_OPTIONS: on Redis, a pool that makes requests wait."""
    uri = config["RATELIMIT_STORAGE_URI"]
    if not uri.startswith(("redis://", "rediss://", "unix://")):
        return {}
    pool = redis.BlockingConnectionPool.from_url(
        uri, max_connections=STORAGE_CONNECTIONS, timeout=STORAGE_WAIT_SECONDS
    )
    return {"connection_pool": pool}


def address() -> str:
    return request.remote_addr or "unknown"


def member_key() -> str:
    return f"member:{current_user.id}"


def anonymous() -> bool:
    return not current_user.is_authenticated


def trusted_or_anonymous() -> bool:
    # Evaluated on every request to the route, so the query runs only for a member's POST.
    if request.method != "POST" or anonymous():
        return True
    return is_trusted(current_user._get_current_object())


def submitted(field: str) -> Callable[[], str]:
    """The name typed into a form field, so that every spelling of it shares one count."""

    def key() -> str:
        name = request.form.get(field, "").strip().casefold()
        return "name:" + name[:NAME_KEY_LENGTH]

    return key


def nothing_submitted(field: str) -> Callable[[], bool]:
    return lambda: not request.form.get(field, "").strip()


def failed(response) -> bool:
    """A login that did not go through: the form is shown again, or the request refused."""
    return response.status_code != 302


def _limit(setting: str, scope: str, key, message, methods=("POST",), **options):
    """`message` is marked with _l: it is put in the reader's language when a request is refused."""
    return limiter.shared_limit(
        lambda: current_app.config[setting],
        scope=scope,
        key_func=key,
        methods=list(methods),
        error_message=lambda: str(message),
        **options,
    )


def _together(*limits):
    def decorate(view):
        for limit in reversed(limits):
            view = limit(view)
        return view

    return decorate


def _per_address_and_account(action: str, messages: tuple, new_member_cap: str | None = None):
    """The address and account budgets of an action that only members can take.

    `messages` says, in order, that the address, the account and a new member's cap is spent.
    """
    per_address, per_account, *per_new_member = messages
    setting = action.upper()
    limits = [
        _limit(
            f"LIMIT_{setting}_PER_ADDRESS",
            f"{action}-address",
            address,
            per_address,
        ),
        _limit(
            f"LIMIT_{setting}_PER_ACCOUNT",
            f"{action}-account",
            member_key,
            per_account,
            exempt_when=anonymous,
        ),
    ]
    if new_member_cap:
        limits.append(
            _limit(
                new_member_cap,
                f"{action}-new-member",
                member_key,
                per_new_member[0],
                exempt_when=trusted_or_anonymous,
            )
        )
    return _together(*limits)


LOGIN_LIMIT_MESSAGE = _l("Too many attempts to log in from your network. Please wait a minute.")
RESET_LIMIT_MESSAGE = _l("Too many reset requests from your network.")
VOTE_LIMIT_MESSAGE = _l("Too many votes from your network address.")

login = _together(
    _limit("LIMIT_LOGIN_PER_ADDRESS", "login-address", address, LOGIN_LIMIT_MESSAGE),
    # Counts failed attempts on one username from any address.
    _limit(
        "LIMIT_LOGIN_PER_ACCOUNT",
        "login-account",
        submitted("username"),
        _l("Too many failed attempts to log in to this account."),
        exempt_when=nothing_submitted("username"),
        deduct_when=failed,
    ),
)

password_reset = _together(
    _limit("LIMIT_RESET_PER_ADDRESS", "reset-address", address, RESET_LIMIT_MESSAGE),
    # The same whether or not an account answers to the name, so it tells nobody which exist.
    _limit(
        "LIMIT_RESET_PER_ACCOUNT",
        "reset-account",
        submitted("identifier"),
        _l("Too many reset requests for this username or e-mail address."),
        exempt_when=nothing_submitted("identifier"),
    ),
)

registration = _limit(
    "LIMIT_REGISTER_PER_ADDRESS",
    "register-address",
    address,
    _l("Too many new accounts from your network address."),
)

# Comments and replies share one budget.
comments = _per_address_and_account(
    "comments",
    (
        _l("Too many comments from your network address."),
        _l("Too many comments from your account."),
        _l("New members have a daily limit on comments until they have taken part for a while."),
    ),
    "LIMIT_NEW_MEMBER_COMMENTS",
)
reports = _per_address_and_account(
    "reports",
    (
        _l("Too many reports from your network address."),
        _l("Too many reports from your account."),
        _l("New members have a daily limit on reports until they have taken part for a while."),
    ),
    "LIMIT_NEW_MEMBER_REPORTS",
)
helpful_marks = _per_address_and_account(
    "helpful",
    (
        _l("Too many helpful marks from your network address."),
        _l("Too many helpful marks from your account."),
    ),
)
previews = _per_address_and_account(
    "previews",
    (
        _l("Too many previews from your network address."),
        _l("Too many previews from your account."),
    ),
)

# The vote form and the API share these. Members hold one vote per poll, so their budget is
# generous; anonymous readers have a budget of their own per address.
votes = _together(
    _limit(
        "ANONYMOUS_VOTE_RATE_LIMIT",
        "anonymous-vote",
        address,
        VOTE_LIMIT_MESSAGE,
        exempt_when=lambda: not anonymous(),
    ),
    _limit(
        "LIMIT_VOTES_PER_ADDRESS",
        "vote-address",
        address,
        VOTE_LIMIT_MESSAGE,
        exempt_when=anonymous,
    ),
    _limit(
        "LIMIT_VOTES_PER_ACCOUNT",
        "vote-account",
        member_key,
        _l("Too many votes from your account."),
        exempt_when=anonymous,
    ),
)

# An embedded poll counts every vote as anonymous (its frame carries no login), against the
# same budget as anonymous votes on the site.
embedded_votes = _limit("ANONYMOUS_VOTE_RATE_LIMIT", "anonymous-vote", address, VOTE_LIMIT_MESSAGE)

# The event streams of live discussion, which are asked for with GET.
live_streams = _limit(
    "LIMIT_LIVE_STREAMS_PER_ADDRESS",
    "live-address",
    address,
    _l("Too many live discussion streams from your network address."),
    methods=("GET",),
)


def seconds_until_reset() -> int | None:
    """How long until the limit this request broke lets it through again."""
    breached = limiter.current_limit
    if breached is None or not breached.breached:
        return None
    return max(1, int(breached.reset_at - time()))


def in_words(seconds: int) -> str:
    """A wait as people say it, rounded up: "40 seconds", "3 minutes", "1 hour", "5 hours"."""
    minutes = ceil(seconds / 60)
    if seconds < 60:
        return ngettext("%(num)d second", "%(num)d seconds", seconds)
    if minutes == 60:
        return ngettext("%(num)d hour", "%(num)d hours", 1)
    if minutes < 90:
        return ngettext("%(num)d minute", "%(num)d minutes", minutes)
    if seconds < 2 * 86400:
        return ngettext("%(num)d hour", "%(num)d hours", ceil(seconds / 3600))
    return ngettext("%(num)d day", "%(num)d days", ceil(seconds / 86400))
