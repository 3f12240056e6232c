"""Join, log in and out, settings, passwords, export and deletion of a member's account, and
the unsubscribe links of notice e-mails."""

import json

from flask import (
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import i18n, limits
from app.accounts import bp, logins
from app.accounts.forms import (
    ConfirmAddressForm,
    DeleteAccountForm,
    LanguageForm,
    LoginForm,
    PasswordForm,
    RegisterForm,
    ResetPasswordForm,
    ResetRequestForm,
    SettingsForm,
)
from app.accounts.redirects import safe_next_url
from app.database import reads_only
from app.errors import refusal_shown
from app.extensions import csrf, db
from app.links import external_url
from app.models import User
from app.services.accounts import AccountError, addresses, auth, erasure, registration, reset
from app.services.accounts import export as data_export
from app.services.accounts import sessions as member_sessions
from app.services.accounts import settings as member_settings
from app.services.accounts import unsubscribe as unsubscribe_links


def _next_url() -> str:
    return safe_next_url(request.args.get("next")) or url_for("articles.home")


def _confirm(member, address: str) -> None:
    """Mail the address its confirmation link; the page says the same whoever owns it."""
    addresses.ask_to_confirm(
        member, address, lambda token: external_url("accounts.confirm_address", token=token)
    )
    flash(
        _(
            "We sent a message to %(address)s: open the link in it to confirm your address.",
            address=address,
        ),
        "info",
    )


@bp.route("/register", methods=["GET", "POST"])
@limits.registration
def register():
    if current_user.is_authenticated:
        return redirect(_next_url())
    form = RegisterForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            address = registration.check_address(form.email.data)
            user = registration.register_member(
                form.username.data,
                form.password.data,
                form.profile(),
                show_role_badge=form.show_role_badge.data,
                language=i18n.current_language(),
            )
            logins.log_in(user)
            flash(_("Welcome, %(name)s. Your account is ready.", name=user.username), "success")
            if address:
                _confirm(user, address)
            return redirect(_next_url())
    return render_template("accounts/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limits.login
@reads_only
def login():
    if current_user.is_authenticated:
        return redirect(_next_url())
    form = LoginForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            user = auth.authenticate(form.username.data, form.password.data)
            logins.log_in(user, remember=form.remember_me.data)
            flash(_("Welcome back, %(name)s.", name=user.username), "success")
            return redirect(_next_url())
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        logins.log_out()
        flash(_("You are logged out. See you soon."), "success")
    return redirect(url_for("articles.home"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = SettingsForm(obj=current_user)
    if form.validate_on_submit():
        with refusal_shown(form):
            member = current_user._get_current_object()
            address = member_settings.update_settings(
                member,
                form.profile(),
                email=form.email.data,
                reply_emails=form.reply_emails.data,
                follow_emails=form.follow_emails.data,
                follow_on_comment=form.follow_on_comment.data,
                show_role_badge=form.show_role_badge.data,
                show_verified_badge=form.show_verified_badge.data,
                show_stance=form.show_stance.data,
            )
            flash(_("Your settings are saved."), "success")
            if address:
                _confirm(member, address)
            return redirect(url_for(".settings"))
    return render_template("accounts/settings.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            member = current_user._get_current_object()
            auth.change_password(member, form.current_password.data, form.new_password.data)
            # Every session ended with the old password, copies of this one included; this
            # browser carries on in a new one.
            logins.log_in(member, remember=logins.is_remembered())
            flash(_("Your password is changed. You are logged out everywhere else."), "success")
            return redirect(url_for(".settings"))
    return render_template("accounts/password.html", form=form)


@bp.route("/reset", methods=["GET", "POST"])
@limits.password_reset
@reads_only
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        reset.send_reset_link(
            form.identifier.data,
            lambda token: external_url("accounts.reset_password", token=token),
        )
        flash(
            _(
                "If an account with that username or e-mail address exists and has an e-mail "
                "address, we have sent it a link to choose a new password. The link works for "
                "one hour."
            ),
            "info",
        )
        return redirect(url_for(".login"))
    return render_template("accounts/reset_request.html", form=form)


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    form = ResetPasswordForm()
    try:
        user = reset.member_for_reset_token(token)
    except AccountError as error:
        return render_template("accounts/reset_password.html", form=None, problem=error.message)
    if form.validate_on_submit():
        with refusal_shown(form):
            reset.reset_password(token, form.new_password.data)
            logins.log_out()
            flash(_("Your new password is set. Please log in with it."), "success")
            return redirect(url_for(".login"))
    return render_template("accounts/reset_password.html", form=form, user=user, problem=None)


@bp.route("/export", methods=["POST"])
@login_required
@reads_only
def export():
    data = data_export.export_member_data(current_user)
    filename = f"boundaries-{current_user.username}.json"
    return Response(
        json.dumps(data, indent=2, ensure_ascii=False),
        mimetype="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/delete", methods=["GET", "POST"])
@login_required
def delete():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            erasure.delete_member(
                db.session.get(User, current_user.id),
                form.password.data,
                keep_comments=form.comments.data == "keep",
            )
            logins.log_out()
            flash(
                _("Your account and personal data are deleted. Thank you for taking part."),
                "success",
            )
            return redirect(url_for("articles.home"))
    return render_template("accounts/delete.html", form=form)


@bp.get("/sessions")
@login_required
def sessions():
    return render_template(
        "accounts/sessions.html",
        sessions=member_sessions.active_sessions(current_user, logins.current_session_id()),
    )


@bp.post("/sessions/<int:session_id>/end")
@login_required
def end_session(session_id):
    if session_id == logins.current_session_id():
        logins.log_out()
        flash(_("You are logged out on this device."), "success")
        return redirect(url_for("articles.home"))
    with refusal_shown():
        member_sessions.end_session(current_user, session_id)
        flash(_("That session is ended: its device is logged out."), "success")
    return redirect(url_for(".sessions"))


@bp.post("/sessions/end-all")
@login_required
def log_out_everywhere():
    member_sessions.end_all_sessions(current_user)
    logins.log_out()
    flash(_("You are logged out everywhere, on this device too."), "success")
    return redirect(url_for("articles.home"))


@bp.post("/language")
def choose_language():
    """The footer's language choice: a cookie for every reader, and the setting of a member."""
    form = LanguageForm()
    back = safe_next_url(request.args.get("next")) or url_for("articles.home")
    if not form.validate_on_submit():
        flash(_("Choose one of the languages offered."), "error")
        return redirect(back)
    if current_user.is_authenticated:
        member_settings.set_language(current_user, form.language.data)
    response = redirect(back)
    i18n.remember_language(response, form.language.data)
    return response


@bp.route("/confirm-address/<token>", methods=["GET", "POST"])
def confirm_address(token):
    """The link from the e-mail shows a button, so opening it changes nothing by itself."""
    form = ConfirmAddressForm()
    try:
        member, address = addresses.address_in_token(token)
    except AccountError as error:
        return render_template("accounts/confirm_address.html", form=None, problem=error.message)
    if form.validate_on_submit():
        with refusal_shown(form):
            addresses.confirm_address(token)
            flash(_("%(address)s is now your e-mail address.", address=address), "success")
            return redirect(url_for(".settings" if current_user.is_authenticated else ".login"))
    return render_template(
        "accounts/confirm_address.html", form=form, member=member, address=address, problem=None
    )


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token):
    """The link in notice e-mails: a page to confirm, then a POST that stops those e-mails.

    The POST needs no login and no CSRF token, only the signed link: mail programs send it
    with one click (List-Unsubscribe-Post, RFC 8058). Opening the page changes nothing.
    """
    try:
        if request.method == "POST":
            done = unsubscribe_links.unsubscribe(token)
            return render_template("accounts/unsubscribe.html", unsubscription=done, done=True)
        found = unsubscribe_links.unsubscription_for(token)
    except AccountError as error:
        return render_template("accounts/unsubscribe.html", problem=error.message), 400
    return render_template("accounts/unsubscribe.html", unsubscription=found, done=False)
