"""Searching the discussions: readers and staff find only the comments the article page shows them.

Comments are found by their words on /search?type=comments, with a highlighted passage, the
author's pseudonym, the article's title and a link to the comment's permalink; the role and
stance filters use only what authors chose to show; anonymous copies of the page follow new,
edited and moderated comments at once.
"""

import re
from datetime import timedelta
from pathlib import Path

import pytest

from app.extensions import db
from app.models import ArticleStatus, CommentStatus, StaffLevel, Vote, VoteChoice, utcnow
from tests.factories import make_comment


@pytest.fixture
def article(make_article):
    return make_article(
        "Would you friend your therapist?",
        slug="friend-your-therapist",
        poll_question="Would you accept the request?",
        poll_options=("Yes", "No"),
    )


def comments_found(client, query, **args):
    """The ids of the comments a search lists, in order, and the page."""
    response = client.get("/search", query_string={"q": query, "type": "comments", **args})
    assert response.status_code == 200, response.get_data(as_text=True)
    html = main_of(response)
    return [int(i) for i in re.findall(r'<h3><a href="/comments/(\d+)#c\1"', html)], html


def main_of(response):
    html = response.get_data(as_text=True)
    return html.split("<main", 1)[1].split("</main>", 1)[0]


def vote(article, user, label):
    option = next(option for option in article.poll.options if option.label == label)
    db.session.add(
        Vote(
            poll_id=article.poll.id,
            user_id=user.id,
            voter_role=user.community_role,
            choices=[VoteChoice(option_id=option.id)],
        )
    )
    db.session.commit()
    return option


def test_a_comment_is_found_with_its_author_article_and_permalink(client, article, make_user):
    author = make_user("olga", role="client", show_role_badge=True)
    comment = make_comment(article, author, "I would decline the **friend request** politely.")
    make_comment(article, author, "Nothing to do with it.")

    found, html = comments_found(client, "politely")

    assert found == [comment.id]
    assert "1 comment matches “politely”" in html
    assert f'<a href="/comments/{comment.id}#c{comment.id}">olga on “Would you friend' in html
    assert '<span class="badge">Client</span>' in html
    # The Markdown is left out of the passage and the matched word is marked.
    assert "decline the friend request <mark>politely</mark>" in html


def test_words_are_stemmed_and_the_best_match_comes_first(client, article, make_user):
    author = make_user("olga")
    once = make_comment(article, author, "Boundaries matter, and so does kindness.")
    twice = make_comment(article, author, "Boundaries, boundaries: a boundary keeps us safe.")

    found, _ = comments_found(client, "boundary")

    assert found == [twice.id, once.id]


@pytest.mark.parametrize("viewer", [None, "member", "moderator", "admin"])
def test_nobody_finds_what_the_article_page_does_not_show_them(
    client, forms, article, make_article, make_user, viewer
):
    """Readers, members and staff alike: the article page shows staff what it shows members."""
    author = make_user("olga")
    shown = make_comment(article, author, "Secret handshake, published.")
    for status in (CommentStatus.PENDING, CommentStatus.HIDDEN, CommentStatus.REMOVED):
        make_comment(article, author, f"Secret handshake, {status.value}.", status=status)
    # The author's deletion empties the text too; the status alone must keep it out.
    make_comment(article, author, "Secret handshake, deleted.", status=CommentStatus.DELETED)
    draft = make_article("Unpublished", status=ArticleStatus.DRAFT)
    make_comment(draft, author, "Secret handshake on a draft.")
    scheduled = make_article(
        "Later",
        status=ArticleStatus.SCHEDULED,
        published_at=utcnow() + timedelta(days=1),
    )
    make_comment(scheduled, author, "Secret handshake on a scheduled article.")
    if viewer:
        make_user(viewer, staff=StaffLevel(viewer) if viewer != "member" else StaffLevel.MEMBER)
        forms.login(viewer)

    found, html = comments_found(client, "secret handshake")

    assert found == [shown.id]
    assert "1 comment matches" in html
    for hidden_word in ("pending", "hidden", "removed", "deleted", "draft", "scheduled"):
        assert f"<mark>handshake</mark>, {hidden_word}" not in html
        assert f"handshake on a {hidden_word}" not in html
    tabs = main_of(client.get("/search?q=handshake"))
    assert 'Comments <span class="count">1</span>' in tabs


def test_an_author_finds_their_own_comment_awaiting_review(client, forms, article, make_user):
    author = make_user("newbie")
    make_user("someone")
    pending = make_comment(article, author, "My very first thought.", status=CommentStatus.PENDING)

    forms.login("newbie")
    found, html = comments_found(client, "first thought")
    assert found == [pending.id]
    assert "Awaiting review — only you can see this comment" in html
    # As on the article page, filtered results list published comments only.
    assert comments_found(client, "first thought", role="clients")[0] == []

    forms.logout()
    assert comments_found(client, "first thought")[0] == []
    forms.login("someone")
    assert comments_found(client, "first thought")[0] == []


def test_the_role_filter_never_reveals_a_role_its_author_hid(client, article, make_user):
    open_client = make_user("open", role="client", show_role_badge=True)
    quiet_client = make_user("quiet", role="client")
    verified = make_user("doc", role="professional", verified=True)
    quiet_pro = make_user("hushed", role="professional", verified=True, show_verified_badge=False)
    ids = {
        user.username: make_comment(article, user, f"Gift giving, says {user.username}.").id
        for user in (open_client, quiet_client, verified, quiet_pro)
    }

    everyone, _ = comments_found(client, "gift")
    clients, html = comments_found(client, "gift", role="clients")
    professionals, _ = comments_found(client, "gift", role="professionals")

    assert sorted(everyone) == sorted(ids.values())
    assert clients == [ids["open"]]
    assert professionals == [ids["doc"]]
    assert "quiet" not in html and "hushed" not in html
    assert '<option value="clients" selected>Clients</option>' in html


def test_the_stance_filter_finds_only_authors_who_show_their_answer(
    client, article, make_article, make_user
):
    shows = make_user("shows", show_stance=True)
    hides = make_user("hides")
    no = vote(article, shows, "No")
    vote(article, hides, "No")
    visible = make_comment(article, shows, "I said no to the request.")
    make_comment(article, hides, "I also said no to the request.")
    elsewhere = make_article("Gifts", poll_question="Accept a gift?")
    make_comment(elsewhere, shows, "A request elsewhere.")

    everywhere, html = comments_found(client, "request")
    assert len(everywhere) == 3
    assert html.count("voted: No") == 1

    found, html = comments_found(client, "request", article=article.slug, stance=no.id)
    assert found == [visible.id]
    assert "Searching only the discussion of" in html
    assert f'<option value="{no.id}" selected>No</option>' in html
    in_discussion, _ = comments_found(client, "request", article=article.slug)
    assert len(in_discussion) == 2


def test_snippets_are_escaped(client, article, make_user):
    author = make_user("mallory")
    payload = (
        '<script>alert("x")</script> boundary <img src=x onerror=alert(1)> '
        '"><svg onload=alert(2)> <b>bold</b>'
    )
    make_comment(article, author, payload)

    _, html = comments_found(client, "boundary")
    _, echoed = comments_found(client, '<script>alert("y")</script> boundary')

    assert "<mark>boundary</mark>" in html
    for page in (html, echoed):
        assert "<script" not in page
        assert "<img" not in page and "<svg" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&#34;y&#34;)&lt;/script&gt;" in echoed


def test_no_attack_of_the_xss_corpus_leaves_markup_in_a_snippet(client, app, article, make_user):
    payloads = (Path(__file__).parents[1] / "browser" / "xss_payloads.txt").read_text()
    entries = payloads.rstrip("\n").split("\n%%\n")
    app.config["COMMENTS_PER_PAGE"] = len(entries)
    author = make_user("mallory")
    for payload in entries:
        make_comment(article, author, f"needle {payload} needle")

    found, html = comments_found(client, "needle")

    assert len(found) == len(entries)
    snippets = re.findall(r'<p class="snippet">(.*?)</p>', html, re.S)
    assert len(snippets) == len(entries)
    for snippet in snippets:
        assert "needle" in snippet
        assert "<" not in snippet.replace("<mark>", "").replace("</mark>", ""), snippet


def test_results_are_paginated(client, app, article, make_user):
    app.config["COMMENTS_PER_PAGE"] = 3
    author = make_user("olga")
    ids = [make_comment(article, author, f"Confidentiality note {n}.").id for n in range(5)]

    first, html = comments_found(client, "confidentiality")
    second, html2 = comments_found(client, "confidentiality", page=2)

    assert len(first) == 3 and len(second) == 2
    assert sorted(first + second) == sorted(ids)
    assert "5 comments match" in html and "Page 1 of 2" in html
    assert 'href="/search?page=2&amp;q=confidentiality&amp;type=comments">More results' in html
    assert "← Previous results" in html2


@pytest.mark.parametrize(
    ("args", "status", "message"),
    [
        ({"page": "9"}, 404, "There is no page 9 of these results. There is 1 page."),
        ({"page": "0"}, 400, "page must be a whole number from 1 to 1,000,000."),
        ({"page": "5000000"}, 400, "page must be a whole number from 1 to 1,000,000."),
        ({"page": "lots"}, 400, "page must be a whole number."),
        ({"role": "therapists"}, 400, "role must be one of: everyone, clients, professionals."),
        ({"type": "people"}, 400, "type must be one of: articles, comments."),
        ({"stance": "1"}, 400, "stance needs a discussion to search in (article)."),
        ({"article": "no-such-article"}, 404, "There is no discussion to search at that address."),
    ],
)
def test_bad_input_is_answered_on_the_page(client, article, make_user, args, status, message):
    make_comment(article, make_user("olga"), "A comment about boundaries.")

    response = client.get("/search", query_string={"q": "boundaries", "type": "comments", **args})

    assert response.status_code == status
    html = main_of(response)
    assert message in html
    assert 'id="search-q"' in html and "boundaries" in html


def test_a_stance_of_another_poll_is_refused(client, article, make_article):
    other = make_article("Gifts", poll_question="Accept a gift?")
    response = client.get(
        "/search",
        query_string={
            "q": "gift",
            "type": "comments",
            "article": article.slug,
            "stance": other.poll.options[0].id,
        },
    )
    assert response.status_code == 400
    assert "stance must be one of the poll&#39;s options." in main_of(response)


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({"q": "bound\x00aries"}, 400, "NUL character"),
        ({"q": "x", "page": "9" * 30}, 404, "We couldn’t find that page"),
    ],
)
def test_malformed_addresses_are_refused_with_a_message(client, query, status, message):
    response = client.get("/search", query_string={"type": "comments", **query})
    assert response.status_code == status
    assert message in response.get_data(as_text=True)


def test_an_overlong_search_says_it_was_shortened(client, article, make_user):
    make_comment(article, make_user("olga"), "A comment about boundaries.")

    found, html = comments_found(client, "boundaries " + "x" * 5000)

    assert "only its beginning was used" in html
    assert found == []
    assert "only its beginning was used" not in comments_found(client, "boundaries")[1]


def test_the_tabs_count_articles_and_comments(client, article, make_user):
    make_comment(article, make_user("olga"), "Facebook is where I draw the line.")
    make_comment(article, make_user("ivan"), "Facebook friends, never.")

    articles_tab = main_of(client.get("/search?q=facebook"))
    comments_tab = comments_found(client, "facebook")[1]

    assert "No articles match “facebook”" in articles_tab
    assert 'href="/search?q=facebook&amp;type=comments">comments that match</a>' in articles_tab
    for html in (articles_tab, comments_tab):
        assert 'Articles <span class="count">0</span>' in html
        assert 'Comments <span class="count">2</span>' in html
    assert "2 comments match “facebook”" in comments_tab


def test_the_article_page_offers_to_search_its_discussion(client, article, make_user):
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    assert "Search this discussion" not in page

    make_comment(article, make_user("olga"), "A comment about boundaries.")
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)

    assert '<label for="discussion-search-q">Search this discussion</label>' in page
    assert f'<input type="hidden" name="article" value="{article.slug}">' in page


def test_anonymous_copies_follow_new_edited_and_moderated_comments(
    client, article, member_at, make_user
):
    url = "/search?q=handshake&type=comments"
    make_user("mod", staff=StaffLevel.MODERATOR)
    assert comments_found(client, "handshake")[0] == []
    cached = client.get(url)
    assert cached.headers["Cache-Control"].startswith("public")
    etag = cached.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304

    robin = member_at("robin", role="client")
    robin.submit(
        f"/articles/{article.slug}",
        {"body": "A firm handshake."},
        f"/articles/{article.slug}/comments",
    )
    found, html = comments_found(client, "handshake")
    assert len(found) == 1 and "firm <mark>handshake</mark>" in html
    (comment_id,) = found

    robin.submit(f"/comments/{comment_id}/edit", {"body": "A warm handshake."})
    assert "warm <mark>handshake</mark>" in comments_found(client, "handshake")[1]

    assert comments_found(client, "handshake", role="clients")[0] == []
    robin.submit(
        "/account/settings",
        {
            "community_role": "client",
            "discipline": "",
            "credentials": "",
            "email": "",
            "show_role_badge": "y",
        },
    )
    assert comments_found(client, "handshake", role="clients")[0] == [comment_id]

    member_at("mod").submit(
        "/moderation/queue/pending",
        {"rule": "Harassment or personal attacks", "note": "test"},
        action_url=f"/moderation/comments/{comment_id}/remove",
    )
    assert comments_found(client, "handshake")[0] == []
