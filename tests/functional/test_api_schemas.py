"""The API schemas: ballots validated with clear 400s, comment items shaped by the model."""

from types import SimpleNamespace

import pytest

from app.api.schemas.comments import Comment
from app.models import CommentStatus, utcnow
from tests.conftest import form_token


def vote(client, article, body):
    token = form_token(client, client.get(f"/articles/{article.slug}").get_data(as_text=True))
    return client.post(
        f"/api/v1/polls/{article.poll.id}/votes", json=body, headers={"X-CSRFToken": token}
    )


@pytest.mark.parametrize("role", [5, ["client"], {"role": "client"}])
def test_a_role_that_is_not_a_string_is_a_json_400(client, make_article, role):
    article = make_article(poll_question="Anyone?", allow_anonymous=True)
    option_id = article.poll.options[0].id

    response = vote(client, article, {"option_ids": [option_id], "role": role})

    assert response.status_code == 400
    assert response.get_json()["error"]["message"] == (
        "'role' must be one of: client, professional, reader."
    )


def test_unknown_properties_of_a_ballot_are_ignored(client, make_article):
    article = make_article(poll_question="Anyone?", allow_anonymous=True)
    body = {"option_ids": [article.poll.options[0].id], "role": "reader", "note": "hi"}

    assert vote(client, article, body).status_code == 200


@pytest.mark.parametrize("status", list(CommentStatus))
@pytest.mark.parametrize("shown", [True, False])
def test_a_comment_item_has_exactly_the_models_fields(status, shown):
    author = SimpleNamespace(username="robin", badge="Client")
    comment = SimpleNamespace(
        id=2,
        parent_id=1,
        author=author,
        body_html="<p>Hi</p>",
        created_at=utcnow(),
        edited_at=None,
        helpful_count=3,
        common_ground=True,
        featured=True,
        status=status,
    )
    node = SimpleNamespace(comment=comment, shown=shown)

    item = Comment.item(node)

    assert list(item) == list(Comment.model_fields)
    assert Comment.model_validate(item).to_json() == item
