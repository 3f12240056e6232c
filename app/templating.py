"""Filters and globals shared by every template."""

from datetime import UTC, datetime

from flask import current_app


def format_date(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(UTC).strftime("%-d %B %Y")


def iso(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone(UTC).isoformat(timespec="seconds")


def register(app):
    app.add_template_filter(format_date, "date")
    app.add_template_filter(iso, "iso")

    @app.context_processor
    def inject_site():
        return {
            "site_name": current_app.config["SITE_NAME"],
            "site_tagline": current_app.config["SITE_TAGLINE"],
        }
