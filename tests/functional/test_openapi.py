"""/api/v1/openapi.json: a valid OpenAPI 3.1 document that describes every API route."""

import re

import pytest
from openapi_spec_validator import validate
from pydantic import create_model

from app.api import openapi

API_PREFIX = "/api/v1"


@pytest.fixture
def document(client):
    response = client.get(f"{API_PREFIX}/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return response.get_json()


def documented_path(rule: str) -> str:
    """/api/v1/polls/<int:poll_id>/results -> /polls/{poll_id}/results"""
    path = rule.removeprefix(API_PREFIX)
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", path)


def test_is_a_valid_openapi_3_1_document(document):
    validate(document)
    assert document["openapi"].startswith("3.1")
    assert document["servers"] == [{"url": API_PREFIX}]


def test_describes_every_api_route_and_method(app, document):
    missing = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith(f"{API_PREFIX}/"):
            continue
        operations = document["paths"].get(documented_path(rule.rule), {})
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            if method.lower() not in operations:
                missing.append(f"{method} {rule.rule}")
    assert not missing, f"routes missing from openapi.json: {missing}"


def test_article_endpoints_document_parameters_and_json_errors(document):
    listing = document["paths"]["/articles"]["get"]
    detail = document["paths"]["/articles/{slug}"]["get"]

    assert {p["name"] for p in listing["parameters"]} >= {"page"}
    assert [p["name"] for p in detail["parameters"]] == ["slug"]
    error_ref = {"$ref": "#/components/schemas/Error"}
    assert listing["responses"]["400"]["content"]["application/json"]["schema"] == error_ref
    assert detail["responses"]["404"]["content"]["application/json"]["schema"] == error_ref
    article = document["components"]["schemas"]["Article"]
    assert {"body_html", "poll", "tags", "author"} <= set(article["required"])


def test_a_response_matches_its_documented_schema(client, document, make_article):
    """The served JSON has every property the schemas mark required, and no others."""
    article = make_article(poll_question="Would you?")
    schemas = document["components"]["schemas"]
    data = client.get(f"{API_PREFIX}/articles/{article.slug}").get_json()
    page = client.get(f"{API_PREFIX}/articles").get_json()

    assert set(data) == set(schemas["Article"]["properties"]) == set(schemas["Article"]["required"])
    assert set(data["author"]) == set(schemas["Author"]["required"])
    assert set(data["poll"]) == set(schemas["PollSummary"]["required"])
    assert set(page) == set(schemas["ArticlePage"]["required"])
    assert set(page["items"][0]) == set(schemas["ArticleTeaser"]["required"])


def test_fragments_that_disagree_on_a_schema_are_refused():
    """Two models may share a component name only if they define it the same way."""
    first = create_model("Thing", name=(str, ...))
    second = create_model("Thing", name=(int, ...))

    def answered_by(model):
        return openapi.Operation("get" + model.__name__, "A thing", ("Test",), {200: ("", model)})

    same = [("/a", "get", answered_by(first)), ("/b", "get", answered_by(first))]
    assert set(openapi.build_document(same)["components"]["schemas"]) == {"Thing"}
    operations = [("/a", "get", answered_by(first)), ("/b", "get", answered_by(second))]
    with pytest.raises(ValueError, match="'Thing'"):
        openapi.build_document(operations)
