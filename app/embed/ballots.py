"""What the embedded poll's form carries instead of cookies.

Inside a partner's frame our cookies are third-party: browsers that block those cookies never
send them, and none send the SameSite=Lax session cookie with a form posted from another
site's frame. So the embed votes without any cookie, with two signed values in its form:

- the form token, the same for every reader (the page is kept for all of them), bound to the
  poll and valid for a day: the vote was sent from a form we served for this poll. No cookie
  rides along with the request, so there is nothing a forged request could borrow; the token
  only keeps votes to forms we served.
- the ballot, on the page that answers a vote: the voter token of that vote, so the reader
  can change their answer from the same frame. A reload forgets it, as a private window
  forgets the voter cookie; either way the reader votes again as a new anonymous voter,
  within the same rate limits.
"""

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer

FORM_TOKEN_SECONDS = 24 * 3600


def _form_tokens() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="embedded-vote-form")


def _ballots() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="embedded-ballot")


def form_token(poll_id: int) -> str:
    return _form_tokens().dumps(poll_id)


def form_token_valid(value: str | None, poll_id: int) -> bool:
    """Whether `value` is a form token we signed for this poll within the last day."""
    if not value:
        return False
    try:
        return _form_tokens().loads(value, max_age=FORM_TOKEN_SECONDS) == poll_id
    except BadSignature:
        return False


def ballot(poll_id: int, voter_token: str) -> str:
    return _ballots().dumps([poll_id, voter_token])


def ballot_voter(value: str | None, poll_id: int) -> str | None:
    """The voter token a ballot of this poll carries, or None."""
    if not value:
        return None
    try:
        signed_poll, voter_token = _ballots().loads(value)
    except (BadSignature, TypeError, ValueError):
        return None
    if signed_poll != poll_id or not isinstance(voter_token, str):
        return None
    return voter_token
