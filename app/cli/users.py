"""Commands: `users create`, for setting up accounts from scripts without prompts."""

import re

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    CommunityRole,
    Discipline,
    StaffLevel,
    User,
    VerificationStatus,
    utcnow,
)
from app.services.accounts import AccountError
from app.services.accounts.registration import check_password_rules
from app.transaction import in_transaction

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_.-]{3,30}$")

users = AppGroup("users", help="Manage member accounts.")


def create_user(
    username: str,
    password: str,
    role: CommunityRole,
    *,
    discipline: Discipline | None = None,
    credentials: str | None = None,
    staff: StaffLevel = StaffLevel.MEMBER,
    verified: bool = False,
    email: str | None = None,
) -> User:
    """Check the account's details and add it to the session (flushed, not committed).

    Raises click.UsageError with a message naming the option at fault.
    """
    _check_username(username)
    _check_community_role(role, discipline, verified)
    try:
        check_password_rules(password)
    except AccountError as error:
        raise click.BadParameter(error.message, param_hint="--password") from error
    if email is not None:
        email = _check_email(email)
    user = User(
        username=username,
        email=email,
        community_role=role,
        discipline=discipline,
        credentials=credentials or None,
        staff_level=staff,
        verification_status=(
            VerificationStatus.VERIFIED if verified else VerificationStatus.UNVERIFIED
        ),
        verified_at=utcnow() if verified else None,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def _check_username(username: str) -> None:
    if not USERNAME_PATTERN.match(username):
        raise click.BadParameter(
            "use 3 to 30 letters, digits, dots, hyphens or underscores.", param_hint="USERNAME"
        )
    taken = db.session.scalar(select(User.id).where(func.lower(User.username) == username.lower()))
    if taken is not None:
        raise click.UsageError(f"The username {username!r} is already taken.")


def _check_community_role(
    role: CommunityRole, discipline: Discipline | None, verified: bool
) -> None:
    if role is CommunityRole.PROFESSIONAL and discipline is None:
        raise click.UsageError(
            "A professional needs a discipline: add --discipline "
            f"({'|'.join(d.value for d in Discipline)})."
        )
    if role is not CommunityRole.PROFESSIONAL and discipline is not None:
        raise click.UsageError("Only professionals have a discipline; leave out --discipline.")
    if verified and role is not CommunityRole.PROFESSIONAL:
        raise click.UsageError("Only professionals can be verified; leave out --verified.")


def _check_email(email: str) -> str:
    email = email.strip()
    if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
        raise click.BadParameter(f"{email!r} is not an e-mail address.", param_hint="--email")
    taken = db.session.scalar(select(User.id).where(func.lower(User.email) == email.lower()))
    if taken is not None:
        raise click.BadParameter("another account already uses this address.", param_hint="--email")
    return email


def describe(user: User) -> str:
    role = user.community_role.value
    if user.discipline is not None:
        role += f", {user.discipline.label.lower()}"
    if user.is_verified_professional:
        role += ", verified"
    parts = [f"{user.username} (id {user.id})", f"role: {role}", f"staff: {user.staff_level}"]
    if user.email:
        parts.append(f"email: {user.email}")
    return "; ".join(parts)


@users.command("create")
@click.argument("username")
@click.option("--password", required=True, help="At least 10 characters, not a common one.")
@click.option(
    "--role",
    required=True,
    type=click.Choice([role.value for role in CommunityRole]),
    help="Community role.",
)
@click.option(
    "--discipline",
    type=click.Choice([d.value for d in Discipline]),
    help="Required for professionals.",
)
@click.option("--credentials", help='Free text such as "LMHC, LPC".')
@click.option(
    "--staff",
    type=click.Choice([level.value for level in StaffLevel]),
    default=StaffLevel.MEMBER.value,
    show_default=True,
)
@click.option("--verified", is_flag=True, help="Mark a professional as verified.")
@click.option("--email", help="Optional; never shown publicly.")
@in_transaction
def create_command(username, password, role, discipline, credentials, staff, verified, email):
    """Create the member USERNAME."""
    user = create_user(
        username,
        password,
        CommunityRole(role),
        discipline=Discipline(discipline) if discipline else None,
        credentials=credentials,
        staff=StaffLevel(staff),
        verified=verified,
        email=email,
    )
    click.echo(f"Created {describe(user)}")


def register(app):
    app.cli.add_command(users)
