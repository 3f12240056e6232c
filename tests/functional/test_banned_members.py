"""A banned member sees why, and can only read, appeal, export or delete their data."""

import pytest

from app.extensions import db
from app.models import AccountStatus, CommentStatus, User
from tests.factories import make_comment


@pytest.fixture
def banned(make_user):
    member = make_user("gone", email="gone@example.org")
    member.account_status = AccountStatus.BANNED
    member.status_reason = "Repeated harassment"
    db.session.commit()
    return member


def test_a_banned_member_sees_why_after_logging_in(forms, banned):
    response = forms.login("gone")
    page = forms.client.get(response.headers["Location"]).get_data(as_text=True)

    assert "Your account is banned" in page
    assert "Repeated harassment" in page


def test_a_banned_member_cannot_change_anything_else(forms, banned):
    forms.login("gone")

    response = forms.submit(
        "/account/settings",
        {"community_role": "client", "discipline": "", "credentials": "", "email": ""},
    )

    assert response.status_code == 403
    assert "Your account is banned" in response.get_data(as_text=True)
    assert db.session.get(User, banned.id).community_role.value == "reader"


def test_a_banned_member_can_still_export_appeal_and_leave(forms, banned, make_article):
    article = make_article(title="Would you friend your therapist?")
    removed = make_comment(article, banned, "A removed thought", status=CommentStatus.REMOVED)
    banned_id = banned.id
    forms.login("gone")

    export = forms.submit("/account/settings", {}, action_url="/account/export")
    appeal = forms.submit(f"/comments/{removed.id}/appeal", {"text": "It was a misunderstanding."})
    delete = forms.submit(
        "/account/delete",
        {"password": "correct horse battery staple", "comments": "remove"},
    )

    assert export.status_code == 200 and export.get_json()["profile"]["username"] == "gone"
    assert appeal.status_code == 302
    assert delete.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, banned_id) is None
