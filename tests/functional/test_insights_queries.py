"""The site-wide insights page reads all polls' tallies in one statement."""

from sqlalchemy import event

from app.extensions import db


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
