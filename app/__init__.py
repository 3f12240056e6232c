"""Boundaries: articles on therapy ethics, polls, insights and threaded discussion."""

import logging
import os
from pathlib import Path

import click
from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from config import ProductionConfig, configs

ROOT = Path(__file__).resolve().parent.parent


def create_app(config_class=None):
    if config_class is None:
        config_class = configs[os.environ.get("FLASK_CONFIG", "development")]
    if issubclass(config_class, ProductionConfig):
        config_class.validate()

    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.from_object(config_class)
    Path(app.instance_path).mkdir(exist_ok=True)
    if hops := app.config["PROXY_HOPS"]:
        # The host is never taken from a proxy header: external links come from BASE_URL.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)

    register_extensions(app)
    register_transactions(app)
    register_jobs(app)
    register_live(app)
    register_request_checks(app)
    register_caching(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_languages(app)
    register_security_headers(app)
    register_permissions(app)
    register_commands(app)
    register_monitoring(app)
    if not app.debug and not app.testing:
        logging.basicConfig(level=app.config["LOG_LEVEL"])
    return app


def register_extensions(app):
    from app import models  # noqa: F401  (registers every table on the metadata)
    from app.database import configure_engines, enable_migrations
    from app.extensions import cache, compress, csrf, db, limiter, login_manager
    from app.limits import storage_options

    db.init_app(app)
    # Alembic is only for commands (`flask db …`): a server never loads it (about 10 MB).
    if click.get_current_context(silent=True) is not None:
        enable_migrations(app)
    csrf.init_app(app)
    # First registered, so its after-request hook runs last, on the finished response.
    compress.init_app(app)
    cache.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", storage_options(app.config))
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"

    # Each request's login is checked against its server-side record (app/accounts/logins.py).
    from app.accounts.logins import load_member

    login_manager.user_loader(load_member)

    with app.app_context():
        configure_engines(db)


def register_transactions(app):
    from app import transaction

    transaction.register(app)


def register_jobs(app):
    from app import jobs

    jobs.register(app)


def register_live(app):
    from app import live

    live.register(app)


def register_request_checks(app):
    from app import hardening

    hardening.register(app)


def register_caching(app):
    from app import caching

    caching.register(app)


def register_blueprints(app):
    from app.accounts import bp as accounts_bp
    from app.api import bp as api_bp
    from app.articles import bp as articles_bp
    from app.comments import bp as comments_bp
    from app.editor import bp as editor_bp
    from app.embed import bp as embed_bp
    from app.extensions import csrf
    from app.insights import bp as insights_bp
    from app.moderation import bp as moderation_bp
    from app.moderation import safety_bp
    from app.notifications import bp as notifications_bp
    from app.polls import bp as polls_bp

    app.register_blueprint(articles_bp)
    app.register_blueprint(polls_bp, url_prefix="/polls")
    app.register_blueprint(comments_bp)
    app.register_blueprint(insights_bp, url_prefix="/insights")
    app.register_blueprint(notifications_bp, url_prefix="/inbox")
    app.register_blueprint(moderation_bp, url_prefix="/moderation")
    app.register_blueprint(safety_bp)
    app.register_blueprint(accounts_bp, url_prefix="/account")
    app.register_blueprint(editor_bp, url_prefix="/editor")
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    app.register_blueprint(embed_bp)
    # The API checks the X-CSRFToken header itself on the one route that writes.
    csrf.exempt(api_bp)


def register_errorhandlers(app):
    from app.errors import register

    register(app)


def register_template_helpers(app):
    from app import assets, links, templating

    templating.register(app)
    links.register(app)
    assets.register(app)


def register_languages(app):
    from app import i18n

    i18n.register(app)


def register_permissions(app):
    from app import permissions

    permissions.register(app)


def register_security_headers(app):
    from app.hardening import CONTENT_SECURITY_POLICY, frames_refused

    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        policy = headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        if frames_refused(policy):
            # It can only deny: on a page that names sites in frame-ancestors (an embedded
            # poll) it would contradict the policy, so it is left out there.
            headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "interest-cohort=()")
        return response


def register_monitoring(app):
    from app import monitoring

    monitoring.register(app)


def register_commands(app):
    from app.cli import register

    register(app)
