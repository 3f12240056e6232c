"""Commands: users."""


def register(app):
    pass
