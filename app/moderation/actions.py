"""What the staff pages share: the page argument, the way back, and running one action."""

from flask import flash, redirect, request

from app.accounts.redirects import safe_next_url
from app.errors import refusal_shown


def page_arg() -> int:
    return request.args.get("page", 1, type=int) or 1


def redirect_back(default: str):
    return redirect(safe_next_url(request.form.get("back")) or default)


def apply_action(action, success: str, default_url: str):
    """Run a service call and tell the moderator how it went."""
    with refusal_shown():
        action()
        flash(success, "success")
    return redirect_back(default_url)
