"""Commands: articles."""


def register(app):
    pass
