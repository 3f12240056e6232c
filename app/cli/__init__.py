"""Command-line tools: flask --app app <command>."""

from app.cli import articles, demo, jobs, load, users

MODULES = (articles, demo, jobs, load, users)


def register(app):
    for module in MODULES:
        module.register(app)
