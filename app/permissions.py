"""Who may do what: staff levels on routes, and loaders that 404 or 403."""

from functools import wraps

from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import login_manager
from app.models import AccountStatus, StaffLevel


def staff_required(level: StaffLevel):
    """Visitors are sent to log in; members below the level get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_staff_level(level):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


moderator_required = staff_required(StaffLevel.MODERATOR)
editor_required = staff_required(StaffLevel.EDITOR)
admin_required = staff_required(StaffLevel.ADMIN)

# What a banned member may still do besides reading: leave, appeal a removal, take their data
# away or delete it, end their sessions, and stop notices and e-mails.
BANNED_MAY = frozenset(
    {
        "accounts.logout",
        "accounts.unsubscribe",
        "comments.unfollow",
        "accounts.export",
        "accounts.delete",
        "accounts.end_session",
        "accounts.log_out_everywhere",
        "safety.appeal",
    }
)


def register(app):
    @app.before_request
    def banned_members_only_read():
        if request.method in ("GET", "HEAD", "OPTIONS") or request.endpoint in BANNED_MAY:
            return
        if current_user.is_authenticated and current_user.account_status is AccountStatus.BANNED:
            abort(
                403,
                description=_(
                    "Your account is banned: you can read, appeal a removed comment, download "
                    "your data or delete your account, but nothing else."
                ),
            )
