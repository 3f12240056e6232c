"""The "Helpful" button: a form post that redirects back, or a fetch that answers JSON."""

from urllib.parse import urlsplit

from flask import flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import limits
from app.accounts.redirects import safe_next_url
from app.comments import bp
from app.comments.lookups import comment_or_404, discussion_url
from app.errors import json_error, refusal_json, refusal_shown
from app.services.discussion import helpful as helpful_service
from app.services.errors import DomainError


@bp.app_template_global()
def helpful_url(comment) -> str:
    """Where the comment's Helpful button posts; templates show only the count without it."""
    return url_for("comments.helpful", comment_id=comment.id)


def accepts_json() -> bool:
    """A fetch from the page's script, rather than the plain form."""
    accept = request.accept_mimetypes
    return accept.best_match(["application/json", "text/html"]) == "application/json"


def back_url(comment) -> str:
    """The page the button was on (same site only), at the comment's anchor."""
    target = safe_next_url(request.form.get("next"))
    if target is None:
        return discussion_url(comment)
    parts = urlsplit(target)
    return f"{parts.path}{'?' + parts.query if parts.query else ''}#c{comment.id}"


def _requested_state() -> bool | None:
    """The state the button asked for ("1" or "0"); None means toggle."""
    value = request.form.get("marked")
    return {"1": True, "0": False}.get(value) if value is not None else None


@bp.post("/comments/<int:comment_id>/helpful")
@limits.helpful_marks
def helpful(comment_id):
    comment = comment_or_404(comment_id)
    if not current_user.is_authenticated:
        if accepts_json():
            return json_error(401, _("Log in to mark comments as helpful."))
        flash(_("Log in to mark comments as helpful."), "info")
        return redirect(url_for("accounts.login", next=back_url(comment)))
    if accepts_json():
        try:
            state = _mark(comment, _requested_state())
        except DomainError as error:
            return refusal_json(error)
        return jsonify(marked=state.marked, helpful_count=state.helpful_count)
    with refusal_shown():
        _mark(comment, _requested_state())
    return redirect(back_url(comment))


def _mark(comment, marked: bool | None):
    if marked is None:
        return helpful_service.toggle_helpful(comment, current_user)
    return helpful_service.set_helpful(comment, current_user, marked=marked)
