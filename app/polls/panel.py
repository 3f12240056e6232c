"""What the article page shows of its poll: the form, or the results the reader may see."""


def poll_panel(poll) -> dict:
    return {"poll": poll}
