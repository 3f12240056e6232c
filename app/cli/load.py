"""Commands: load."""


def register(app):
    pass
