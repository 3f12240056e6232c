"""The language the site writes to a member in, outside their requests: e-mails, inbox notices."""

from flask import current_app
from flask_babel import force_locale


def site_language() -> str:
    """The site's first language: of readers who name none, of articles that declare none."""
    return current_app.config["LANGUAGES"][0]


def member_language(member) -> str:
    """Their own setting, else the site's first language."""
    return member.language or site_language()


def speaking_to(member):
    """A context in which messages are written in the member's language."""
    return force_locale(member_language(member))
