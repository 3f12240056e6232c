"""E-mail addresses are confirmed by a mailed link; no page says whose address is whose."""

import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.services.infra import mail


@pytest.fixture
def outbox(monkeypatch):
    sent = []
    monkeypatch.setattr(
        mail, "send_mail", lambda to, subject, body, key, headers=None: sent.append((to, body))
    )
    return sent


def member(username):
    return db.session.scalar(select(User).where(User.username == username))


def join(forms, username, address):
    return forms.submit(
        "/account/register",
        {
            "username": username,
            "password": "a long and memorable passphrase",
            "email": address,
            "community_role": "reader",
        },
        follow_redirects=True,
    )


def link_in(body):
    return re.search(r"http://localhost(/account/confirm-address/\S+)", body).group(1)


def test_an_address_is_the_members_once_they_open_the_mailed_link(client, forms, outbox):
    join(forms, "quietfern", "fern@example.org")
    assert member("quietfern").email is None
    [(to, body)] = outbox
    path = link_in(body)

    page = client.get(path).get_data(as_text=True)
    assert "fern@example.org" in page and "Confirm my address" in page
    assert member("quietfern").email is None

    response = forms.submit(path, {}, follow_redirects=True)

    assert "fern@example.org is now your e-mail address" in response.get_data(as_text=True)
    assert to == "fern@example.org" and member("quietfern").email == "fern@example.org"


def test_joining_with_a_used_address_reads_the_same_and_tells_its_owner(
    client, forms, make_user, outbox
):
    make_user("firstone", email="shared@example.org")

    free = join(forms, "newcomer", "fresh@example.org").get_data(as_text=True)
    forms.logout()
    taken = join(forms, "secondone", "shared@example.org").get_data(as_text=True)

    def blanked(page, username, address):
        page = re.sub(r'(csrf[-_]token"? (?:type="hidden" )?(?:value|content)=")[^"]+', r"\1", page)
        return page.replace(username, "NAME").replace(address, "ADDRESS")

    assert "We sent a message to shared@example.org" in taken
    assert blanked(taken, "secondone", "shared@example.org") == blanked(
        free, "newcomer", "fresh@example.org"
    )
    assert [to for to, _ in outbox] == ["fresh@example.org", "shared@example.org"]
    owners_mail = outbox[1][1]
    assert "firstone" in owners_mail and "confirm-address" not in owners_mail
    assert member("secondone").email is None
    assert member("firstone").email == "shared@example.org"


def test_a_link_to_an_address_taken_meanwhile_changes_nothing(client, forms, make_user, outbox):
    join(forms, "quietfern", "fern@example.org")
    path = link_in(outbox[0][1])
    make_user("quicker", email="fern@example.org")

    response = forms.submit(path, {})

    assert "now belongs to another account" in response.get_data(as_text=True)
    assert member("quietfern").email is None


def test_a_broken_link_says_so(client):
    page = client.get("/account/confirm-address/not-a-token").get_data(as_text=True)
    assert "This link is not valid" in page
