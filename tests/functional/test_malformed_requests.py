"""Malformed requests get a 400 or 404 with a message, never a 500.

The walk sends every route of the URL map, as a visitor and as an admin, integers far out of
range in each `<int:…>` part of the path and in the query-string numbers, NUL bytes in every
string argument of the path, the query string and the forms, and JSON nested far too deep or
far too large to the vote API.
"""

import json
import re
from urllib.parse import quote, urlencode

import pytest
from flask_wtf import FlaskForm
from werkzeug.routing import IntegerConverter
from wtforms.fields.core import UnboundField

from app.extensions import db
from app.models import Notification, NotificationKind, Tag
from tests.conftest import FormClient, form_token
from tests.factories import make_article, make_author, make_comment, make_user

HUGE_INTEGERS = (
    str(2**31),  # past a PostgreSQL integer
    str(2**63 - 1),  # the largest SQLite and bigint value
    str(2**63),
    "99999999999999999999",
    "9" * 5000,  # more digits than int() reads
)
# Not decimal digits, although str.isdigit() says they are.
ODD_NUMBERS = ("²", "1e3", "-1", "0", " 7", "")
NUL = "a\x00b"
# Query-string arguments some page or API route reads.
NUMBER_ARGS = ("page", "per_page", "stance")
TEXT_ARGS = (
    "q",
    "sort",
    "role",
    "by",
    "scope",
    "next",
    "preview",
    "actor",
    "action",
    "target_type",
)
# Form fields read outside a form class.
LOOSE_FIELDS = ("comment_ids", "option_ids", "role", "body", "back", "next", "marked")
SKIPPED = {"static", "accounts.logout"}


def form_field_names() -> set[str]:
    names = set(LOOSE_FIELDS)
    classes = [FlaskForm]
    while classes:
        cls = classes.pop()
        classes.extend(cls.__subclasses__())
        names.update(
            name for name in dir(cls) if isinstance(getattr(cls, name, None), UnboundField)
        )
    return names - {"csrf_token"}


@pytest.fixture
def site(app):
    """Something for every kind of id, so that lookups succeed and arguments get read."""
    admin = make_user("ada_admin", staff="admin")
    olga = make_user("olga_other", role="client")
    author = make_author(slug="riverside")
    article = make_article(
        slug="friend-your-therapist",
        author=author,
        poll_question="Would you?",
        allow_anonymous=True,
    )
    article.tags.append(Tag(name="Social media", slug="social-media"))
    comment = make_comment(article, olga, "I keep my therapist out of my feeds.")
    comment.root_id = comment.id
    notification = Notification(
        recipient_id=admin.id, kind=NotificationKind.ACCOUNT, message="Welcome."
    )
    db.session.add(notification)
    db.session.commit()
    return {
        "ids": {
            "poll_id": article.poll.id,
            "comment_id": comment.id,
            "article_id": article.id,
            "author_id": author.id,
            "user_id": olga.id,
            "notification_id": notification.id,
        },
        "slugs": {
            "articles.author": author.slug,
            "articles.tag": "social-media",
            "default": article.slug,
        },
    }


def is_number(converter) -> bool:
    return isinstance(converter, IntegerConverter)


def path_values(rule, site) -> dict[str, str]:
    """Arguments that name real records, so that each bad one is tried on its own."""
    values = {}
    for name, converter in rule._converters.items():
        if is_number(converter):
            values[name] = str(site["ids"].get(name, 1))
        elif name == "slug":
            values[name] = site["slugs"].get(rule.endpoint, site["slugs"]["default"])
        elif name == "view":
            values[name] = "pending"
        else:
            values[name] = "x"
    return values


def build(rule, values: dict[str, str], query: dict | None = None) -> str:
    url = re.sub(
        r"<(?:[^:<>]+:)?([^<>]+)>", lambda part: quote(values[part[1]], safe=""), rule.rule
    )
    return url + ("?" + urlencode(query) if query else "")


def bad_paths(rule, good, methods):
    for name, converter in rule._converters.items():
        for value in HUGE_INTEGERS if is_number(converter) else (NUL,):
            for method in methods:
                yield method, build(rule, {**good, name: value}), None


def bad_queries(rule, good):
    for name in NUMBER_ARGS:
        for value in HUGE_INTEGERS + ODD_NUMBERS:
            yield "GET", build(rule, good, {name: value}), None
    for name in TEXT_ARGS + NUMBER_ARGS:
        yield "GET", build(rule, good, {name: NUL}), None


def bad_forms(rule, good, token):
    fields = form_field_names()
    for value in (NUL, *HUGE_INTEGERS, "²"):
        yield "POST", build(rule, good), {**dict.fromkeys(fields, value), "csrf_token": token}


def requests_for(app, site, token):
    """(method, url, form data) for every route and every bad value, with a valid CSRF token."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIPPED:
            continue
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        good = path_values(rule, site)
        yield from bad_paths(rule, good, methods)
        if "GET" in methods:
            yield from bad_queries(rule, good)
        if "POST" in methods:
            yield from bad_forms(rule, good, token)


def fails(client, method, url, data):
    where = f"{method} {url[:150]}" + (" (form)" if data else "")
    try:
        response = client.open(url, method=method, data=data)
    except Exception as error:  # the testing app lets a 500's exception through
        return f"{where} raised {type(error).__name__}: {str(error)[:120]}"
    if response.status_code >= 500:
        return f"{where} answered {response.status_code}"
    return None


@pytest.mark.parametrize("who", ["visitor", "admin"])
def test_no_route_answers_500_to_bad_numbers_or_nul_bytes(app, client, site, who):
    if who == "admin":
        FormClient(client).login("ada_admin")
    token = form_token(client, client.get("/").get_data(as_text=True))
    assert {"body", "username", "password", "reason", "title"} <= form_field_names()
    failures = [
        failure
        for method, url, data in requests_for(app, site, token)
        if (failure := fails(client, method, url, data))
    ]
    assert failures == [], "\n".join(failures)


def vote(client, site, body: bytes | str):
    page = client.get(f"/articles/{site['slugs']['default']}")
    return client.post(
        f"/api/v1/polls/{site['ids']['poll_id']}/votes",
        data=body,
        content_type="application/json",
        headers={"X-CSRFToken": form_token(client, page.get_data(as_text=True))},
    )


DEEP_BODIES = (
    "[" * 5000 + "]" * 5000,
    '{"option_ids": ' + "[" * 5000 + "]" * 5000 + "}",
    '{"a":' * 5000 + "1" + "}" * 5000,
    "[" * 100_000,
)
BAD_BALLOTS = (
    {"option_ids": [2**63], "role": "reader"},
    {"option_ids": [10**30], "role": "reader"},
    {"option_ids": [-(2**63) - 1], "role": "reader"},
    {"option_ids": list(range(1, 120_000)), "role": "reader"},
    {"option_ids": [[[[1]]]], "role": "reader"},
    {"option_ids": [1], "role": NUL},
    {"option_ids": [1], "role": "r" * 500_000},
)


def test_json_too_deep_or_out_of_range_gets_a_400_with_a_message(client, site):
    for body in DEEP_BODIES:
        response = vote(client, site, body)
        assert response.status_code == 400, body[:20]
        assert "nested too deeply" in response.get_json()["error"]["message"]
    for ballot in BAD_BALLOTS:
        response = vote(client, site, json.dumps(ballot))
        assert response.status_code == 400, str(ballot)[:60]
        assert response.get_json()["error"]["message"]


def test_a_body_over_the_size_limit_is_refused_with_a_message(client, site, app):
    limit = app.config["MAX_CONTENT_LENGTH"]
    assert limit is not None

    response = client.post("/comments/preview", data={"body": "x" * (limit + 1)})

    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)


def test_nul_bytes_are_refused_with_a_message(client, site):
    response = client.get("/search?q=therapist%00")

    assert response.status_code == 400
    assert "NUL" in response.get_data(as_text=True)
    assert client.get("/articles/friend-your-therapist%00").status_code == 404
    # The API reads only the arguments it documents, and refuses bad values of those.
    api = client.get("/api/v1/articles?page=1%00")
    assert api.status_code == 400
    assert "page" in api.get_json()["error"]["message"]


def test_an_id_out_of_range_is_a_missing_page(client, site):
    response = client.get("/comments/9223372036854775808")
    assert response.status_code == 404
    api = client.get("/api/v1/polls/99999999999999999999")
    assert api.status_code == 404
    assert api.get_json()["error"]["message"]


def test_a_page_out_of_range_is_refused_with_a_message(client, site):
    assert client.get("/articles?page=9223372036854775808").status_code == 404
    response = client.get("/api/v1/articles?page=99999999999999999999")
    assert response.status_code == 400
    assert "page" in response.get_json()["error"]["message"]
