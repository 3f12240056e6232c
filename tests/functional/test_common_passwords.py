"""Common and breached passwords are refused wherever a password is chosen, with a clear message."""

from sqlalchemy import func, select

from app.extensions import db
from app.models import User

COMMON = "password1234"


def test_registration_refuses_a_common_password(forms):
    response = forms.submit(
        "/account/register",
        {"username": "steadyoak", "password": COMMON, "community_role": "reader"},
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "one of the most common ones" in page
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_a_new_password_cannot_be_a_common_one(forms, make_user):
    make_user("steadyoak")
    forms.login("steadyoak")

    response = forms.submit(
        "/account/password",
        {
            "current_password": "correct horse battery staple",
            "new_password": COMMON,
            "confirm_password": COMMON,
        },
    )

    assert "one of the most common ones" in response.get_data(as_text=True)
    forms.logout()
    assert forms.login("steadyoak", "correct horse battery staple").status_code == 302
