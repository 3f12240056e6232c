"""Fixtures: an application on a migrated database, clients that use real CSRF tokens."""

import os
import re
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from flask_migrate import upgrade
from flask_sqlalchemy.session import Session
from sqlalchemy import select, text

from app import create_app, transaction
from app.database import enable_migrations
from app.extensions import db
from app.models import Base, User
from config import TestingConfig
from tests import factories

TRANSLATIONS = Path(__file__).resolve().parent.parent / "app" / "translations"


def _compile_translations() -> None:
    """Build the catalogues the site reads where their sources changed (as `make` does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for source in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        built = source.with_suffix(".mo")
        if built.exists() and built.stat().st_mtime >= source.stat().st_mtime:
            continue
        with source.open("rb") as po:
            catalogue = read_po(po)
        with built.open("wb") as mo:
            write_mo(mo, catalogue)


_compile_translations()

CSRF_PATTERNS = (
    re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"'),
    re.compile(r'name="csrf_token" value="([^"]+)"'),
    re.compile(r'<meta name="csrf-token" content="([^"]+)"'),
)


def _database_url(tmp_root: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_root / 'test.db'}"


@pytest.fixture(scope="session")
def database_url():
    with tempfile.TemporaryDirectory(prefix="boundaries-tests-") as tmp:
        url = _database_url(Path(tmp))
        app = create_app(_config_for(url))
        enable_migrations(app)
        with app.app_context():
            _drop_everything()
            upgrade()
            db.engine.dispose()
        yield url


def _config_for(url, settings=None):
    return type("Config", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url, **(settings or {})})


def _drop_everything():
    """Start the session from an empty database, even if a previous run crashed."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    else:
        path = db.engine.url.database
        db.engine.dispose()
        if path and os.path.exists(path):
            os.remove(path)


def _empty_tables():
    tables = [table.name for table in Base.metadata.sorted_tables]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    else:
        # Triggers keep the audit log append-only; the test database alone may be emptied.
        triggers = db.session.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        ).all()
        for name, _ in triggers:
            db.session.execute(text(f"DROP TRIGGER {name}"))
        for name in reversed(tables):
            db.session.execute(text(f"DELETE FROM {name}"))
        db.session.execute(text("DELETE FROM article_search"))
        # The comments' index reads its text from comments, whose triggers were dropped.
        db.session.execute(
            text("INSERT INTO comment_search (comment_search) VALUES ('delete-all')")
        )
        for _, sql in triggers:
            db.session.execute(text(sql))
    db.session.commit()


class JoinedSession(Session):
    """A Flask-SQLAlchemy session that uses the connection it is given.

    Flask-SQLAlchemy's get_bind answers with the app's engine and ignores the session's
    own bind, yet joining an external transaction is done through that bind.
    """

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        return super().get_bind(mapper, clause, bind=bind or self.bind, **kwargs)


@contextmanager
def sessions_joined_to(connection):
    """Every session made meanwhile, in any app context, works inside `connection`'s transaction.

    A commit in the app releases a savepoint instead of committing, so rolling back the
    connection's transaction afterwards undoes everything the test and its requests wrote.
    """
    factory = db.session.session_factory
    saved_class, saved_options = factory.class_, dict(factory.kw)
    factory.class_ = JoinedSession
    factory.configure(bind=connection, join_transaction_mode="create_savepoint")
    try:
        yield
    finally:
        db.session.remove()
        factory.class_, factory.kw = saved_class, saved_options


class IsolatedClient(FlaskClient):
    """Each request runs in its own application context, as on a real server.

    Without this, requests would share the test's context: its `g` (the logged-in
    user, the CSRF token) and its database session. The test's own transaction is
    committed first so that the request, and the test afterwards, see fresh data; through
    app.transaction, so that what waits for that commit (new page versions) runs too.
    """

    def open(self, *args, **kwargs):
        transaction.commit()
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(autouse=True)
def no_job_threads_outlive_the_test():
    """A job thread left running writes to the database of the tests after it, and has
    crashed the interpreter; apps a test makes run their jobs inline, or shut their pool."""
    yield
    left = [thread.name for thread in threading.enumerate() if thread.name.startswith("job")]
    assert not left, f"job threads still running after the test: {left}"


@pytest.fixture
def app_settings():
    """Settings a folder of tests gives its apps (the browser tests share their page cache)."""
    return {}


@pytest.fixture
def app(request, database_url, app_settings):
    """The application; what a test writes is rolled back when it ends.

    Tests marked `real_commits` commit for real (other processes or connections must
    see their data, or they inspect how transactions begin) and empty every table after.
    """
    app = create_app(_config_for(database_url, app_settings))
    app.test_client_class = IsolatedClient
    with app.app_context():
        if request.node.get_closest_marker("real_commits"):
            yield app
            db.session.remove()
            _empty_tables()
            db.session.remove()
        else:
            with db.engine.connect() as connection:
                outer = connection.begin()
                with sessions_joined_to(connection):
                    yield app
                outer.rollback()
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def csrf_token(html: str) -> str:
    for pattern in CSRF_PATTERNS:
        match = pattern.search(html)
        if match:
            return match.group(1)
    raise AssertionError("no CSRF token on the page")


def form_token(client, html: str) -> str:
    """The token a browser's form sends: the page's own, or for a page that anonymous readers
    share (which carries none), the one static/js/site.js fetches when the form is used."""
    if 'content="" data-token-url="' not in html:
        return csrf_token(html)
    return client.get("/csrf-token").get_json()["csrf_token"]


class FormClient:
    """Submits forms the way a browser does: fetch the page, then post with its token."""

    def __init__(self, client):
        self.client = client

    def submit(self, page_url, data, action_url=None, follow_redirects=False):
        page = self.client.get(page_url)
        assert page.status_code == 200, f"{page_url} answered {page.status_code}"
        payload = {"csrf_token": form_token(self.client, page.get_data(as_text=True)), **data}
        return self.client.post(
            action_url or page_url, data=payload, follow_redirects=follow_redirects
        )

    def login(self, username, password=factories.DEFAULT_PASSWORD, remember=False):
        data = {"username": username, "password": password}
        if remember:
            data["remember_me"] = "y"
        return self.submit("/account/login", data)

    def logout(self):
        page = self.client.get("/")
        return self.client.post(
            "/account/logout", data={"csrf_token": csrf_token(page.get_data(as_text=True))}
        )


@pytest.fixture
def forms(client):
    return FormClient(client)


@pytest.fixture
def make_user(app):
    return factories.make_user


@pytest.fixture
def make_article(app):
    return factories.make_article


@pytest.fixture
def member_at(app):
    """Log in as a member (made on first use, with `fields`) from a browser at an address."""

    def open_as(username, address="127.0.0.1", **fields):
        if db.session.scalar(select(User.id).where(User.username == username)) is None:
            factories.make_user(username, **fields)
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = address
        forms = FormClient(client)
        assert forms.login(username).status_code == 302
        return forms

    return open_as
