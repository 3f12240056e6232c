"""What the article page shows of its discussion."""


def comment_section(article, args) -> dict:
    return {}
