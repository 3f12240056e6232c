"""One transaction per request: committed on success, rolled back on failure, hooks after commit."""

import pytest
from flask import abort
from sqlalchemy import event, func, select

from app import database, transaction
from app.database import reads_only
from app.errors import refusal_shown
from app.extensions import csrf, db
from app.models import Tag
from app.services.errors import Conflict, DomainError


@pytest.fixture
def routes(app):
    """Throwaway routes that write a tag, then succeed or fail; CSRF is beside the point here."""
    ran = []

    def write(name):
        db.session.add(Tag(name=name, slug=name))
        db.session.flush()
        transaction.after_commit(lambda: ran.append(name))

    @app.post("/_test/ok/<name>")
    @csrf.exempt
    def ok(name):
        write(name)
        return "ok"

    @app.get("/_test/get/<name>")
    def get_writes(name):
        write(name)
        return "read"

    @app.post("/_test/aborts/<name>")
    @csrf.exempt
    def aborts(name):
        write(name)
        abort(400)

    @app.post("/_test/refused/<name>")
    @csrf.exempt
    def refused(name):
        with refusal_shown():
            write(name)
            raise Conflict("Already done.")
        return "shown"

    @app.post("/_test/api-refused/<name>")
    @csrf.exempt
    def api_refused(name):
        write(name)
        raise Conflict("Already done.")

    return ran


def tag_names():
    return set(db.session.scalars(select(Tag.name)))


def test_a_successful_post_commits_and_then_runs_its_hooks(client, routes):
    assert client.post("/_test/ok/kept").status_code == 200
    assert tag_names() == {"kept"}
    assert routes == ["kept"]


def test_a_get_never_writes(client, routes):
    assert client.get("/_test/get/lost").status_code == 200
    assert tag_names() == set()
    assert routes == []


def test_a_failed_request_rolls_back_and_drops_its_hooks(client, routes):
    assert client.post("/_test/aborts/lost").status_code == 400
    assert client.post("/_test/api-refused/lost-too").status_code == 409
    assert tag_names() == set()
    assert routes == []


def test_a_refusal_shown_on_the_page_rolls_back_what_came_before_it(client, routes):
    response = client.post("/_test/refused/lost")
    assert response.status_code == 200
    assert tag_names() == set()
    assert routes == []


def test_a_command_commits_when_it_returns_and_rolls_back_when_it_raises(app):
    @transaction.in_transaction
    def succeeds():
        db.session.add(Tag(name="kept", slug="kept"))

    @transaction.in_transaction
    def fails():
        db.session.add(Tag(name="lost", slug="lost"))
        raise DomainError("No.")

    succeeds()
    with pytest.raises(DomainError):
        fails()
    assert db.session.scalar(select(func.count(Tag.id))) == 1
    assert tag_names() == {"kept"}


@pytest.fixture
def begins(app):
    """The BEGIN statements the app itself sends (on SQLite; PostgreSQL's driver begins alone)."""
    seen = []

    def record(conn, cursor, statement, *args):
        if statement.startswith("BEGIN"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


@pytest.mark.real_commits
def test_a_writing_command_takes_the_write_lock_at_begin(app, begins):
    decided = []

    @transaction.in_transaction
    def writes():
        decided.append(database._begins_writing())
        db.session.add(Tag(name="kept", slug="kept"))

    @transaction.in_transaction
    @reads_only
    def reads():
        decided.append(database._begins_writing())
        return db.session.scalar(select(func.count(Tag.id)))

    db.session.remove()
    writes()
    db.session.remove()
    assert reads() == 1
    db.session.remove()
    tag_names()
    decided.append(database._begins_writing())  # a script outside any command

    assert decided == [True, False, False]
    if db.engine.dialect.name == "sqlite":
        assert begins == ["BEGIN IMMEDIATE", "BEGIN", "BEGIN"]
