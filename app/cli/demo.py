"""Commands: demo."""


def register(app):
    pass
