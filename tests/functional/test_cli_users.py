"""`flask users create`: accounts made from scripts, with clear errors for bad input."""

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import CommunityRole, Discipline, StaffLevel, User, VerificationStatus


def create(runner, *args):
    return runner.invoke(args=["users", "create", *args])


def user_count():
    return db.session.scalar(select(func.count(User.id)))


def test_creates_a_verified_professional_admin_with_every_option(runner):
    result = create(
        runner,
        "ines_lpc",
        "--password", "a long enough password",
        "--role", "professional",
        "--discipline", "counselor",
        "--credentials", "LPC, NCC",
        "--staff", "admin",
        "--verified",
        "--email", "ines@example.org",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "ines_lpc" in result.output
    assert "professional" in result.output and "admin" in result.output
    user = db.session.scalar(select(User).where(User.username == "ines_lpc"))
    assert user.community_role is CommunityRole.PROFESSIONAL
    assert user.discipline is Discipline.COUNSELOR
    assert user.credentials == "LPC, NCC"
    assert user.staff_level is StaffLevel.ADMIN
    assert user.verification_status is VerificationStatus.VERIFIED
    assert user.verified_at is not None
    assert user.email == "ines@example.org"
    assert user.check_password("a long enough password")
    assert not user.check_password("another password")


def test_defaults_to_an_unverified_member(runner):
    result = create(runner, "quiet_reader", "--password", "reading-all-day", "--role", "reader")

    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.username == "quiet_reader"))
    assert user.staff_level is StaffLevel.MEMBER
    assert user.discipline is None
    assert user.email is None
    assert user.verification_status is VerificationStatus.UNVERIFIED


def test_created_member_can_log_in_through_the_form(runner, forms):
    create(runner, "robin", "--password", "robins-password", "--role", "client")

    response = forms.login("robin", "robins-password")

    assert response.status_code == 302
    assert "Log out" in forms.client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "therapist"], "'therapist' is not one of"),
        (["--role", "professional"], "A professional needs a discipline"),
        (["--role", "client", "--discipline", "psychologist"], "Only professionals have a"),
        (["--role", "reader", "--verified"], "Only professionals can be verified"),
        (["--role", "professional", "--discipline", "astrologer"], "'astrologer' is not one of"),
        (["--role", "client", "--staff", "owner"], "'owner' is not one of"),
        (["--role", "client", "--email", "not-an-address"], "is not an e-mail address"),
    ],
)
def test_refuses_bad_options_and_saves_nothing(runner, args, message):
    result = create(runner, "newcomer", "--password", "good password", *args)

    assert result.exit_code != 0
    assert message in result.output
    assert user_count() == 0


def test_password_is_required_and_must_be_long_enough(runner):
    missing = create(runner, "newcomer", "--role", "client")
    short = create(runner, "newcomer", "--password", "short", "--role", "client")

    assert missing.exit_code != 0 and "--password" in missing.output
    assert short.exit_code != 0 and "at least 10 characters" in short.output
    assert user_count() == 0


@pytest.mark.parametrize("username", ["ab", "has space", "x" * 31, "semi;colon"])
def test_refuses_unusable_usernames(runner, username):
    result = create(runner, username, "--password", "good password", "--role", "client")

    assert result.exit_code != 0
    assert "3 to 30 letters" in result.output
    assert user_count() == 0


def test_refuses_a_taken_username_whatever_its_case(runner, make_user):
    make_user("Robin")

    result = create(runner, "robin", "--password", "good password", "--role", "client")

    assert result.exit_code != 0
    assert "already taken" in result.output
    assert user_count() == 1


def test_refuses_an_address_another_account_uses(runner, make_user):
    make_user("robin", email="robin@example.org")

    result = create(
        runner, "robin2", "--password", "good password", "--role", "client",
        "--email", "ROBIN@example.org",
    )  # fmt: skip

    assert result.exit_code != 0
    assert "already uses this address" in result.output
    assert user_count() == 1


@pytest.mark.parametrize("password", ["nine-char", "password1234"])
def test_the_command_line_keeps_the_sites_password_rule(runner, password):
    result = create(runner, "newcomer", "--password", password, "--role", "client")

    assert result.exit_code != 0 and "--password" in result.output
    assert user_count() == 0
