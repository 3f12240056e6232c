"""Command-line tools: flask --app app <command>."""


def register(app):
    pass
