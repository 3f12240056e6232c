"""Following an article: the button on its page, the list of followed articles, and
following by commenting for members who ask for it."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import AccountStatus, ArticleStatus, Follow
from app.services.accounts import erasure
from tests.factories import DEFAULT_PASSWORD

FOLLOW = "Follow this discussion</button>"
STOP = "Stop following</button>"


@pytest.fixture
def article(make_article):
    return make_article(title="Would you friend your therapist?", slug="friend-your-therapist")


def follows_of(user):
    return db.session.scalars(select(Follow.article_id).where(Follow.user_id == user.id)).all()


def page(client, article):
    return client.get(f"/articles/{article.slug}").get_data(as_text=True)


def press(forms, article, action, **data):
    return forms.submit(f"/articles/{article.slug}", data, f"/articles/{article.slug}/{action}")


def test_a_member_follows_and_stops_following_from_the_article_page(
    forms, client, make_user, article
):
    robin = make_user("robin")
    forms.login("robin")
    assert FOLLOW in page(client, article) and STOP not in page(client, article)

    response = press(forms, article, "follow")

    assert response.status_code == 302
    assert response.headers["Location"] == f"/articles/{article.slug}#discussion"
    assert follows_of(robin) == [article.id]
    followed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "You follow this discussion: its new comments will reach your inbox." in followed
    # The member's own copy of the page is renewed: it now offers to stop.
    assert STOP in page(client, article) and FOLLOW not in page(client, article)

    response = press(forms, article, "unfollow")

    assert response.status_code == 302
    assert follows_of(robin) == []
    assert "You no longer follow “Would you friend your therapist?”." in client.get(
        response.headers["Location"]
    ).get_data(as_text=True)
    assert FOLLOW in page(client, article)


def test_following_twice_keeps_one_follow(forms, make_user, article):
    robin = make_user("robin")
    forms.login("robin")

    press(forms, article, "follow")
    press(forms, article, "follow")

    assert follows_of(robin) == [article.id]


def test_readers_see_no_button_and_are_asked_to_log_in(client, article):
    assert "Follow this discussion" not in page(client, article)
    token = client.get("/csrf-token").get_json()["csrf_token"]

    response = client.post(f"/articles/{article.slug}/follow", data={"csrf_token": token})

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login")
    assert db.session.scalars(select(Follow)).all() == []


def test_following_needs_the_csrf_token(forms, client, make_user, article):
    robin = make_user("robin")
    forms.login("robin")

    assert client.post(f"/articles/{article.slug}/follow").status_code == 400
    assert follows_of(robin) == []


def test_an_article_readers_cannot_see_cannot_be_followed(forms, client, make_user, make_article):
    draft = make_article(status=ArticleStatus.DRAFT, slug="not-yet")
    make_user("robin")
    forms.login("robin")

    response = forms.submit("/account/settings", {}, "/articles/not-yet/follow")

    assert response.status_code == 404
    assert db.session.scalars(select(Follow).where(Follow.article_id == draft.id)).all() == []


def test_the_followed_articles_are_listed_and_can_be_left_from_the_list(
    forms, client, make_user, make_article, article
):
    robin = make_user("robin")
    other = make_article(title="Should a counselor accept a gift?", slug="a-gift")
    forms.login("robin")
    press(forms, article, "follow")
    press(forms, other, "follow")

    listing = client.get("/inbox/following").get_data(as_text=True)

    assert listing.index("Should a counselor accept a gift?") < listing.index(
        "Would you friend your therapist?"
    ), "the latest followed first"
    assert 'href="/inbox/following"' in client.get("/inbox/").get_data(as_text=True)

    response = forms.submit(
        "/inbox/following", {"next": "/inbox/following"}, f"/articles/{article.slug}/unfollow"
    )

    assert response.headers["Location"] == "/inbox/following"
    assert follows_of(robin) == [other.id]
    listing = client.get("/inbox/following").get_data(as_text=True)
    assert f'href="/articles/{article.slug}#discussion"' not in listing
    assert f'href="/articles/{other.slug}#discussion"' in listing


def test_the_list_of_followed_articles_says_how_to_follow_when_empty(forms, client, make_user):
    make_user("robin")
    forms.login("robin")

    listing = client.get("/inbox/following").get_data(as_text=True)

    assert "You follow no article yet." in listing
    assert "follow the articles you comment on" in listing


def test_leaving_is_not_sent_off_the_site(forms, make_user, article):
    make_user("robin")
    forms.login("robin")
    press(forms, article, "follow")

    response = press(forms, article, "unfollow", next="https://elsewhere.example/")

    assert response.headers["Location"] == f"/articles/{article.slug}#discussion"


def test_a_banned_member_may_stop_following_but_not_follow(forms, client, make_user, article):
    robin = make_user("robin")
    forms.login("robin")
    press(forms, article, "follow")
    robin.account_status = AccountStatus.BANNED
    db.session.commit()

    assert STOP in page(client, article)
    assert press(forms, article, "unfollow").status_code == 302
    assert follows_of(robin) == []
    assert "Follow this discussion" not in page(client, article)
    assert press(forms, article, "follow").status_code == 403


@pytest.mark.parametrize("follows_on_comment", [True, False])
def test_commenting_follows_the_article_only_for_members_who_ask(
    forms, make_user, article, follows_on_comment
):
    robin = make_user("robin", follow_on_comment=follows_on_comment)
    forms.login("robin")

    response = forms.submit(
        f"/articles/{article.slug}",
        {"body": "I would keep it professional."},
        f"/articles/{article.slug}/comments",
    )

    assert response.status_code == 302
    assert follows_of(robin) == ([article.id] if follows_on_comment else [])


def test_following_by_commenting_is_a_setting(forms, client, make_user):
    robin = make_user("robin")
    forms.login("robin")
    assert "Follow the articles I comment on" in client.get("/account/settings").get_data(
        as_text=True
    )

    response = forms.submit(
        "/account/settings",
        {
            "community_role": "reader",
            "discipline": "",
            "email": "",
            "reply_emails": "never",
            "follow_emails": "never",
            "follow_on_comment": "y",
        },
    )
    assert response.status_code == 302

    db.session.refresh(robin)
    assert robin.follow_on_comment is True


def test_deleting_an_account_ends_its_follows(make_user, article):
    robin = make_user("robin")
    db.session.add(Follow(user_id=robin.id, article_id=article.id))
    db.session.commit()

    erasure.delete_member(robin, DEFAULT_PASSWORD, keep_comments=False)
    db.session.commit()

    assert db.session.scalars(select(Follow)).all() == []
