"""Insights pages read what they need once: all polls' tallies in one statement on the
site-wide page, a poll's counts once on its own page."""

from sqlalchemy import event

from app.extensions import db
from app.services.polls import tally
from app.services.polls.changes import build_changes
from app.services.polls.results import build_results


def queries_for(client, url):
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith("BEGIN"):
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return statements


def test_more_polls_add_no_queries(client, make_article):
    make_article(poll_question="Would you friend your therapist?")
    make_article(poll_question="Should your therapist google you?")
    with_two = queries_for(client, "/insights/")
    for n in range(6):
        make_article(poll_question=f"Question {n}?")
    with_eight = queries_for(client, "/insights/")
    assert len(with_two) == len(with_eight)
    assert sum("option_tallies" in statement for statement in with_eight) == 1


def test_a_polls_page_reads_its_tallies_and_history_once(client, make_article, monkeypatch):
    """Both breakdowns and the changed-minds tables are built from one read of the counts."""

    article = make_article(poll_question="Would you friend your therapist?")
    reads = {"ballots": 0, "tallies": 0}
    daily_ballots, option_counts = tally.daily_ballots, tally.option_counts

    def counted(name, read):
        def wrapper(*args, **kwargs):
            reads[name] += 1
            return read(*args, **kwargs)

        return wrapper

    monkeypatch.setattr(tally, "daily_ballots", counted("ballots", daily_ballots))
    monkeypatch.setattr(tally, "option_counts", counted("tallies", option_counts))
    assert client.get(f"/insights/polls/{article.poll.id}").status_code == 200
    assert reads["ballots"] == 1

    # Elsewhere (a vote answered with the results) each build reads the counts afresh.
    build_results(article.poll, with_history=True)
    build_changes(article.poll)
    assert reads["ballots"] == 3
