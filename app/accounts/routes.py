"""Join, log in and out, settings, passwords, export and deletion of a member's account."""

import json

from flask import (
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user

from app import limits
from app.accounts import bp
from app.accounts.forms import (
    DeleteAccountForm,
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
from app.extensions import db
from app.models import User
from app.services.accounts import AccountError, auth, erasure, registration, reset
from app.services.accounts import export as data_export
from app.services.accounts import settings as member_settings

RESET_SENT = (
    "If an account with that username or e-mail address exists and has an e-mail address, "
    "we have sent it a link to choose a new password. The link works for one hour."
)


def _next_url() -> str:
    return safe_next_url(request.args.get("next")) or url_for("articles.home")


@bp.route("/register", methods=["GET", "POST"])
@limits.registration
def register():
    if current_user.is_authenticated:
        return redirect(_next_url())
    form = RegisterForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            user = registration.register_member(
                form.username.data,
                form.password.data,
                form.profile(),
                email=form.email.data,
                show_role_badge=form.show_role_badge.data,
            )
            login_user(user)
            flash(f"Welcome, {user.username}. Your account is ready.", "success")
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
            login_user(user, remember=form.remember_me.data)
            flash(f"Welcome back, {user.username}.", "success")
            return redirect(_next_url())
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        logout_user()
        flash("You are logged out. See you soon.", "success")
    return redirect(url_for("articles.home"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    form = SettingsForm(obj=current_user)
    if form.validate_on_submit():
        with refusal_shown(form):
            member_settings.update_settings(
                current_user,
                form.profile(),
                email=form.email.data,
                email_notifications=form.email_notifications.data,
                show_role_badge=form.show_role_badge.data,
                show_verified_badge=form.show_verified_badge.data,
                show_stance=form.show_stance.data,
            )
            flash("Your settings are saved.", "success")
            return redirect(url_for(".settings"))
    return render_template("accounts/settings.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            auth.change_password(current_user, form.current_password.data, form.new_password.data)
            # Other sessions and remember-me cookies end with the old password;
            # this one carries on under the new one.
            login_user(current_user._get_current_object())
            flash("Your password is changed. You are logged out everywhere else.", "success")
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
            lambda token: url_for(".reset_password", token=token, _external=True),
        )
        flash(RESET_SENT, "info")
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
            logout_user()
            flash("Your new password is set. Please log in with it.", "success")
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
            logout_user()
            flash(
                "Your account and personal data are deleted. Thank you for taking part.", "success"
            )
            return redirect(url_for("articles.home"))
    return render_template("accounts/delete.html", form=form)
