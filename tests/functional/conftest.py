"""Every JSON response under /api/v1 that a functional test receives must match the document.

The check wraps the test client, so the existing API tests double as contract tests: each
response is validated against the schema /api/v1/openapi.json gives for its route, method and
status (an Error for paths the API does not have). The insights JSON download serves the
API's results shape, so it is validated against that schema too.

`sent_mail` collects the messages that reach the mail service, for tests about e-mail.
"""

import gzip
import json
from typing import NamedTuple

import brotli
import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from werkzeug.exceptions import HTTPException

from app.api import bp, openapi

ERROR = {"$ref": openapi.REF.format(model="Error")}
# Routes outside the API that serve one of its schemas.
SHARED_SCHEMAS = {
    "insights.results_json": "PollResults",
    "insights.changes_json": "ChangedMinds",
}
_cache: dict = {}


class SentMail(NamedTuple):
    to: str
    subject: str
    body: str
    headers: dict


@pytest.fixture
def sent_mail(monkeypatch):
    """Messages handed to the mail service (once the outbox delivers them), not to the log."""
    from app.services.infra import mail

    sent = []

    def record(to, subject, body, key=None, headers=None):
        sent.append(SentMail(to, subject, body, headers or {}))

    monkeypatch.setattr(mail, "send_mail", record)
    return sent


@pytest.fixture(autouse=True)
def responses_match_the_api_document(monkeypatch):
    opened = FlaskClient.open

    def open_and_check(self, *args, **kwargs):
        response = opened(self, *args, **kwargs)
        if response.mimetype == "application/json":
            check_response(self.application, response)
        return response

    monkeypatch.setattr(FlaskClient, "open", open_and_check)


def check_response(app, response) -> None:
    request = response.request
    schema = documented_schema(app, request.path, request.method, response.status_code)
    if schema is None:
        return
    errors = list(validator(app, schema).iter_errors(json.loads(decoded_body(response))))
    where = f"{request.method} {request.path} answered {response.status_code}"
    assert not errors, f"{where}, which does not match its documented schema: {errors[0]}"


def decoded_body(response) -> bytes:
    """The body as the application wrote it, before Flask-Compress encoded it."""
    data = response.get_data()
    encoding = response.headers.get("Content-Encoding")
    if encoding == "br":
        return brotli.decompress(data)
    if encoding == "gzip":
        return gzip.decompress(data)
    assert encoding is None, f"unexpected Content-Encoding {encoding}"
    return data


def documented_schema(app, path: str, method: str, status: int) -> dict | None:
    in_api = path.startswith(openapi.SERVER + "/")
    try:
        rule, _ = app.url_map.bind("localhost").match(path, method, return_rule=True)
    except HTTPException:
        return ERROR if in_api else None
    if rule.endpoint in SHARED_SCHEMAS and status == 200:
        return {"$ref": openapi.REF.format(model=SHARED_SCHEMAS[rule.endpoint])}
    if not rule.endpoint.startswith(f"{bp.name}."):
        return ERROR if in_api and status >= 400 else None
    operation = document(app)["paths"][openapi.documented_path(rule.rule)][method.lower()]
    reply = operation["responses"].get(str(status))
    assert reply, f"{operation['operationId']} does not document the status {status}"
    return reply["content"]["application/json"]["schema"]


def document(app) -> dict:
    # Every test app has the same API routes, so one document serves the whole session.
    if "document" not in _cache:
        _cache["document"] = openapi.build_document(openapi.api_operations(app))
    return _cache["document"]


def validator(app, schema: dict) -> Draft202012Validator:
    key = json.dumps(schema, sort_keys=True)
    if key not in _cache:
        # References such as #/components/schemas/Comment resolve within this root.
        root = {**schema, "components": document(app)["components"]}
        _cache[key] = Draft202012Validator(root)
    return _cache[key]
