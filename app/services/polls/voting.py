"""Casting and changing votes in polls, with the tallies kept current in the same transaction."""

import hashlib
import hmac
from collections.abc import Iterable
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from app.dates import format_date, format_datetime
from app.extensions import db
from app.jobs import job
from app.models import (
    ANY_ANSWER,
    AccountStatus,
    CommunityRole,
    Discipline,
    Poll,
    PollKind,
    PollStatus,
    User,
    Vote,
    VoteChoice,
    VoteHistory,
    utcnow,
)
from app.services.errors import Conflict, LoginRequired, NotPermitted
from app.services.polls import PollError, tally
from app.services.polls.engagement import engagement_of_change
from app.services.polls.tally import VoterGroup


class VotingError(PollError):
    """A vote the poll refuses; the message is fit to show the voter."""


class PollClosed(VotingError, Conflict):
    pass


class PollNotYetOpen(VotingError, Conflict):
    pass


class NoOptionChosen(VotingError):
    pass


class UnknownOption(VotingError):
    pass


class TooManyOptions(VotingError):
    pass


class RoleRequired(VotingError):
    pass


class AnonymousVotingNotAllowed(VotingError, LoginRequired):
    pass


class VoterRestricted(VotingError, NotPermitted):
    pass


def cast_vote(
    poll: Poll,
    option_ids: Iterable[int],
    *,
    user: User | None = None,
    voter_token: str | None = None,
    role: str | None = None,
    discipline: str | None = None,
    address: str | None = None,
    now: datetime | None = None,
) -> Vote:
    """Record a member's or an anonymous reader's answer, or change the one they gave.

    A member is identified by `user`; an anonymous reader by the token of their voter
    cookie, and declares a `role` (and, for professionals, optionally a `discipline`).
    """
    now = now or utcnow()
    _check_open(poll, now)
    chosen = _chosen_options(poll, option_ids)
    snapshot = _snapshot(poll, user, voter_token, role, discipline, now)
    address_hash = hash_address(address) if address else None

    vote = _existing_vote(poll, user, voter_token)
    if vote is None:
        vote = _insert_vote(poll, user, voter_token, snapshot, address_hash, now)
        if vote is not None:
            vote.choices = [VoteChoice(option_id=option_id) for option_id in chosen]
            _append_history(vote, chosen, now)
            tally.record_first_answer(poll.id, VoterGroup.of(vote), chosen, now.date())
            db.session.flush()
            return vote
        # A simultaneous request of the same voter stored the first vote: change it instead.
        vote = _existing_vote(poll, user, voter_token)
    _change_vote(poll, vote, chosen, snapshot, address_hash, now)
    db.session.flush()
    return vote


def _check_open(poll: Poll, now: datetime) -> None:
    status = poll.status(now)
    if status is PollStatus.CLOSED:
        raise PollClosed(_("This poll is closed: votes can no longer be cast or changed."))
    if status is PollStatus.NOT_YET_OPEN:
        opens = format_datetime(poll.opens_at)
        raise PollNotYetOpen(_("This poll is not open yet: it opens on %(when)s.", when=opens))


def _chosen_options(poll: Poll, option_ids: Iterable[int]) -> list[int]:
    chosen = set()
    for option_id in option_ids:
        if isinstance(option_id, bool) or not isinstance(option_id, int):
            raise UnknownOption(_("That answer is not one of this poll's options."))
        chosen.add(option_id)
    if not chosen:
        if poll.kind is PollKind.MULTIPLE:
            raise NoOptionChosen(_("Choose at least one answer before voting."))
        raise NoOptionChosen(_("Choose an answer before voting."))
    if not chosen <= {option.id for option in poll.options}:
        raise UnknownOption(_("That answer is not one of this poll's options."))
    if poll.kind is PollKind.SINGLE and len(chosen) > 1:
        raise TooManyOptions(_("This poll takes a single answer: choose only one."))
    return sorted(chosen)


def _snapshot(poll, user, voter_token, role, discipline, now) -> dict:
    """Who the voter is at the time of voting, kept on the vote so results never drift."""
    if user is not None:
        _check_not_restricted(user, now)
        professional = user.community_role is CommunityRole.PROFESSIONAL
        return {
            "voter_role": user.community_role,
            "voter_discipline": user.discipline if professional else None,
            "voter_verified": user.is_verified_professional,
        }
    if not poll.allow_anonymous:
        raise AnonymousVotingNotAllowed(_("Log in to vote: this poll counts members' votes only."))
    if not voter_token:
        raise AnonymousVotingNotAllowed(
            _("Your browser must accept cookies to vote without an account.")
        )
    try:
        declared = CommunityRole(role)
    except ValueError:
        raise RoleRequired(
            _("Tell us whether you are a client, a professional or neither before voting.")
        ) from None
    chosen_discipline = None
    if declared is CommunityRole.PROFESSIONAL and discipline:
        try:
            chosen_discipline = Discipline(discipline)
        except ValueError:
            raise VotingError(_("Choose a discipline from the list.")) from None
    return {"voter_role": declared, "voter_discipline": chosen_discipline, "voter_verified": False}


def _check_not_restricted(user: User, now: datetime) -> None:
    if not user.is_restricted(now):
        return
    if user.account_status is AccountStatus.BANNED:
        raise VoterRestricted(_("Your account has been banned, so you cannot vote."))
    if user.suspended_until is None:
        raise VoterRestricted(_("Your account is suspended, so you cannot vote."))
    until = format_date(user.suspended_until)
    raise VoterRestricted(
        _("Your account is suspended until %(date)s, so you cannot vote.", date=until)
    )


def voter_filter(user, voter_token):
    """Who is voting: the member, or else the anonymous reader's voter token."""
    if user is not None:
        return Vote.user_id == user.id
    return Vote.voter_token == voter_token


def _existing_vote(poll, user, voter_token) -> Vote | None:
    """The voter's vote, locked until the transaction ends so changes are applied in turn."""
    return db.session.scalar(
        select(Vote)
        .where(Vote.poll_id == poll.id, voter_filter(user, voter_token))
        .options(selectinload(Vote.choices))
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def _insert_vote(poll, user, voter_token, snapshot, address_hash, now) -> Vote | None:
    """Insert the first vote, or None if the unique constraint shows one already exists."""
    vote = Vote(
        poll_id=poll.id,
        user_id=user.id if user is not None else None,
        voter_token=None if user is not None else voter_token,
        address_hash=address_hash,
        created_at=now,
        updated_at=now,
        change_count=0,
        **snapshot,
    )
    try:
        with db.session.begin_nested():
            db.session.add(vote)
    except IntegrityError:
        return None
    return vote


def _change_vote(
    poll: Poll, vote: Vote, chosen: list[int], snapshot: dict, address_hash, now
) -> None:
    old_group = VoterGroup.of(vote)
    old_ids = sorted(choice.option_id for choice in vote.choices)
    previous_ballot_at = vote.updated_at
    for name, value in snapshot.items():
        setattr(vote, name, value)
    if address_hash is not None:
        vote.address_hash = address_hash
    vote.updated_at = now
    for choice in [c for c in vote.choices if c.option_id not in chosen]:
        vote.choices.remove(choice)
    vote.choices.extend(VoteChoice(option_id=i) for i in chosen if i not in old_ids)
    changed = old_ids != chosen
    first_change = changed and vote.change_count == 0
    if changed:
        vote.change_count += 1
    _append_history(vote, chosen, now)
    tally.record_new_answer(
        vote.poll_id,
        old_group,
        old_ids,
        VoterGroup.of(vote),
        chosen,
        now.date(),
        changed=changed,
        first_change=first_change,
    )
    if changed:
        _count_change(poll, vote, old_ids, chosen, previous_ballot_at, now)


def _count_change(poll: Poll, vote: Vote, old_ids, chosen, previous_ballot_at, now) -> None:
    """A change made once the discussion opened joins the from->to table of its group."""
    engagement = engagement_of_change(poll.article_id, vote.user_id, previous_ballot_at, now)
    if engagement is None:
        return
    if poll.kind is PollKind.SINGLE:
        from_id, to_id = old_ids[0], chosen[0]
    else:
        from_id = to_id = ANY_ANSWER
    tally.record_change(vote.poll_id, from_id, to_id, str(vote.voter_role), engagement)


def _append_history(vote: Vote, chosen: list[int], now: datetime) -> None:
    db.session.add(
        VoteHistory(
            vote_id=vote.id,
            poll_id=vote.poll_id,
            option_ids=chosen,
            voter_verified=vote.voter_verified,
            voter_role=str(vote.voter_role),
            cast_at=now,
        )
    )


def hash_address(address: str) -> str:
    """A keyed hash of a network address: comparable for rate limits, not reversible."""
    key = hmac.new(
        current_app.config["SECRET_KEY"].encode(), b"voter-address", hashlib.sha256
    ).digest()
    return hmac.new(key, address.encode(), hashlib.sha256).hexdigest()


@job
def purge_voter_addresses(now: datetime | None = None) -> int:
    """Forget the address hashes of votes last cast longer ago than the retention period.

    A periodic job runs it daily (app/jobs/periodic.py).
    """
    days = current_app.config["VOTER_ADDRESS_RETENTION_DAYS"]
    cutoff = (now or utcnow()) - timedelta(days=days)
    result = db.session.execute(
        update(Vote)
        .where(Vote.address_hash.is_not(None), Vote.updated_at < cutoff)
        .values(address_hash=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount
