"""The account service's rules, apart from the forms that usually call it."""

import pytest
from itsdangerous import URLSafeTimedSerializer

from app.extensions import db
from app.models import CommunityRole, User
from app.services.accounts import AccountError, auth, erasure, registration, reset
from app.services.accounts.registration import Profile


def test_unknown_user_and_wrong_password_raise_the_same_message(make_user):
    make_user("steadyoak")
    with pytest.raises(AccountError) as unknown:
        auth.authenticate("nobodyhere", "whatever it is")
    with pytest.raises(AccountError) as wrong:
        auth.authenticate("steadyoak", "whatever it is")
    assert unknown.value.message == wrong.value.message == "Wrong username or password."


def test_register_member_refuses_a_name_differing_only_in_case(make_user):
    make_user("SteadyOak")
    with pytest.raises(AccountError) as error:
        registration.register_member(
            "steadyoak", "long enough password", Profile(CommunityRole.READER)
        )
    assert error.value.field == "username"


def test_the_database_refuses_a_case_twin_that_slipped_past_the_check(monkeypatch, make_user):
    """Two sign-ups racing both pass the lookup; the unique index settles it."""
    make_user("SteadyOak", email="steady@example.org")
    monkeypatch.setattr(registration, "find_by_username", lambda name: None)

    with pytest.raises(AccountError) as error:
        registration.register_member(
            "steadyoak", "long enough password", Profile(CommunityRole.READER)
        )

    assert error.value.field == "username"
    assert db.session.query(User).count() == 1


@pytest.mark.parametrize(
    ("password", "accepted"),
    # Lengths around the limits; an uncommon 10-character password, since "xxxxxxxxxx" is common.
    [("x" * 9, False), ("tawny-owl7", True), ("x" * 128, True), ("x" * 129, False)],
)
def test_password_length_limits(password, accepted):
    if accepted:
        registration.check_password_rules(password)
    else:
        with pytest.raises(AccountError):
            registration.check_password_rules(password)


def test_a_token_signed_for_another_purpose_does_not_reset(app, make_user):
    user = make_user("steadyoak")
    other = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="something-else")
    token = other.dumps({"user": user.id, "password": "0" * 16})
    with pytest.raises(AccountError, match="not valid"):
        reset.member_for_reset_token(token)


def test_a_reset_token_stops_working_once_the_password_changes(make_user):
    user = make_user("steadyoak")
    token = reset.make_reset_token(user)
    assert reset.member_for_reset_token(token) == user
    reset.reset_password(token, "a brand new passphrase")
    with pytest.raises(AccountError, match="already been used"):
        reset.member_for_reset_token(token)


def test_deleting_a_member_with_no_activity(make_user):
    user = make_user("steadyoak")
    member_id = user.id
    erasure.delete_member(user, "correct horse battery staple", keep_comments=True)
    db.session.commit()
    assert db.session.get(User, member_id) is None
