"""Who may do what: staff levels on routes, and loaders that 404 or 403."""

from functools import wraps

from flask import abort
from flask_login import current_user

from app.extensions import login_manager
from app.models import StaffLevel


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
