"""Polls that travel: partner sites frame /embed/polls/<id>, readers vote in it without
cookies, and /oembed gives partners' systems the iframe."""

import gzip
import re
from urllib.parse import quote

import pytest
from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import select

from app.extensions import db
from app.models import Article, CommunityRole, PollStatus, ResultsVisibility, Vote, utcnow

PARTNERS = ["https://counselling.example.org", "http://localhost:8001"]
QUESTION = "Would you accept a friend request from your therapist?"
FRAMED_BY_NONE = "frame-ancestors 'none'"


@pytest.fixture
def editor(make_user, forms):
    make_user("editor1", staff="editor")
    forms.login("editor1")
    return forms


def embeddable(make_article, origins=PARTNERS, **poll):
    """An article whose poll takes anonymous votes, with `origins` listed by an editor."""
    settings = {"allow_anonymous": True, "poll_options": ("Yes", "No"), **poll}
    article = make_article(poll_question=QUESTION, **settings)
    if origins:
        from app.services.articles.embedding import set_embed_origins

        set_embed_origins(article, list(origins))
        db.session.commit()
    return article


def frame_ancestors(response) -> str:
    policy = response.headers["Content-Security-Policy"]
    [directive] = [d.strip() for d in policy.split(";") if "frame-ancestors" in d]
    return directive


def embed_url(article) -> str:
    return f"/embed/polls/{article.poll.id}"


def vote_in_embed(client, article, answer, role="client", page=None, **fields):
    """Vote the way a browser does in the frame: from the form on the page it shows."""
    html = (page or client.get(embed_url(article))).get_data(as_text=True)
    data = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', html))
    option = next(o.id for o in article.poll.options if o.label == answer)
    data.update({"option_ids": str(option), "role": role, **fields})
    return client.post(f"{embed_url(article)}/vote", data=data)


def votes_of(article):
    db.session.expire_all()
    return list(db.session.scalars(select(Vote).where(Vote.poll_id == article.poll.id)))


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


# Who may frame the page.


def test_only_the_listed_origins_may_frame_the_embed(client, make_article):
    article = embeddable(make_article)

    first = client.get(embed_url(article))
    kept = client.get(embed_url(article))  # the copy kept for every anonymous reader

    for response in (first, kept):
        assert response.status_code == 200
        assert frame_ancestors(response) == (
            "frame-ancestors http://localhost:8001 https://counselling.example.org"
        )
        # X-Frame-Options can only deny, which would contradict the policy.
        assert "X-Frame-Options" not in response.headers
    for url in ("/", f"/articles/{article.slug}", "/articles", "/oembed?url=x"):
        response = client.get(url)
        assert frame_ancestors(response) == FRAMED_BY_NONE, url
        assert response.headers["X-Frame-Options"] == "DENY", url


def test_an_article_without_origins_lets_no_site_frame_its_poll(client, make_article):
    article = embeddable(make_article, origins=())
    response = client.get(embed_url(article))
    assert response.status_code == 200
    assert frame_ancestors(response) == FRAMED_BY_NONE
    assert response.headers["X-Frame-Options"] == "DENY"


def test_editors_list_the_origins_and_the_policy_follows_at_once(editor, client, make_article):
    article = embeddable(make_article, origins=())
    client.get(embed_url(article))  # kept for anonymous readers before the change
    form = edit_form(editor, article)
    form["embed_origins"] = "https://Partner.Example.org:443/\nhttp://127.0.0.2:5001\n"

    response = editor.submit(edit_url(article), form)

    assert response.status_code == 302
    edited = editor.client.get(edit_url(article)).get_data(as_text=True)
    assert "http://127.0.0.2:5001\nhttps://partner.example.org</textarea>" in edited
    assert frame_ancestors(client.get(embed_url(article))) == (
        "frame-ancestors http://127.0.0.2:5001 https://partner.example.org"
    )


@pytest.mark.parametrize(
    ("typed", "said"),
    [
        ("https://*.example.org", "Wildcards are not allowed"),
        ("http://partner.example.org", "use https://; plain http:// is only for a site on this"),
        ("https://partner.example.org/polls", "without a path"),
        ("partner.example.org", "Start with https://"),
        ("https://partner.example.org; script-src *", "Wildcards are not allowed"),
        ("https://partner.example.org 'self'", "give only the site"),
        ("https://partner.example.org:70000", "port must be a number from 1 to 65535"),
        ("https://user@partner.example.org", "no user name or password"),
        ("ftp://partner.example.org", "Use https://"),
    ],
)
def test_the_editor_form_refuses_what_is_not_an_origin(editor, make_article, typed, said):
    article = embeddable(make_article)
    form = edit_form(editor, article)
    form["embed_origins"] = f"https://fine.example.org\n{typed}"

    response = editor.submit(edit_url(article), form)

    assert response.status_code == 200
    html = response.get_data(as_text=True)
    error = re.search(r'<p class="error" id="embed_origins-error">([^<]*)</p>', html)
    assert error, "no error beside the field"
    assert said.lower() in error.group(1).lower()
    assert typed.split(";")[0].replace("'", "&#39;") in error.group(1)
    db.session.expire_all()
    assert db.session.get(Article, article.id).embedding_origins == sorted(PARTNERS)


def edit_url(article) -> str:
    return f"/editor/articles/{article.id}/edit"


def edit_form(editor, article) -> dict:
    """The edit form's fields as the page fills them in."""
    html = editor.client.get(edit_url(article)).get_data(as_text=True)
    fields = dict(re.findall(r'<input[^>]*name="(\w+)"[^>]*value="([^"]*)"', html))
    fields.update(re.findall(r'<textarea[^>]*name="(\w+)"[^>]*>(?:\r\n)?([^<]*)</textarea>', html))
    fields.update(
        re.findall(r'<select[^>]*name="(\w+)"[^>]*>.*?<option selected value="([^"]*)"', html, re.S)
    )
    for name in ("poll_anonymous", "poll_multiple"):
        if not re.search(rf'<input checked[^>]*name="{name}"', html):
            fields.pop(name, None)
        else:
            fields[name] = "y"
    fields.pop("csrf_token", None)
    return {name: value.replace("&#10;", "\n") for name, value in fields.items()}


# Voting in the frame.


def test_a_reader_votes_in_the_embed_without_any_cookie(app, make_article):
    article = embeddable(make_article)
    client = app.test_client(use_cookies=False)
    page = client.get(embed_url(article))
    assert "Set-Cookie" not in page.headers

    response = vote_in_embed(client, article, "Yes", role="professional", page=page)

    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["Cache-Control"] == "no-store"
    assert "Thank you: your vote is counted." in text(response)
    assert "You voted: Yes" in text(response)
    [vote] = votes_of(article)
    assert vote.voter_role is CommunityRole.PROFESSIONAL and vote.user_id is None
    assert vote.address_hash is not None

    # The page that answered carries the ballot: the reader changes their answer from it.
    again = vote_in_embed(client, article, "No", role="professional", page=response)
    assert "You voted: No" in text(again)
    [changed] = votes_of(article)
    assert changed.id == vote.id and changed.change_count == 1


def test_embed_votes_count_like_any_other(app, client, forms, make_article):
    article = embeddable(make_article, results_visibility=ResultsVisibility.ALWAYS)
    for _ in range(5):
        frame = app.test_client(use_cookies=False)
        assert vote_in_embed(frame, article, "Yes", role="client").status_code == 200

    assert "5 voters" in text(client.get(f"/articles/{article.slug}"))
    results = client.get(f"/api/v1/polls/{article.poll.id}/results").get_json()
    assert results["total"] == 5
    assert [(o["label"], o["count"]) for o in results["options"]] == [("Yes", 5), ("No", 0)]
    assert len(votes_of(article)) == 5


def test_a_vote_without_the_embed_forms_token_is_refused(app, make_article):
    article = embeddable(make_article)
    other = embeddable(make_article)
    client = app.test_client(use_cookies=False)
    option = str(article.poll.options[0].id)
    other_polls = re.search(
        r'name="form_token" value="([^"]+)"', client.get(embed_url(other)).get_data(as_text=True)
    ).group(1)
    signed_elsewhere = URLSafeTimedSerializer("another-secret", salt="embedded-vote-form").dumps(
        article.poll.id
    )

    for token in ("", "forged", other_polls, signed_elsewhere):
        data = {"form_token": token, "option_ids": option, "role": "client"}
        response = client.post(f"{embed_url(article)}/vote", data=data)
        assert response.status_code == 400
        assert "This form is too old or did not come from the poll" in text(response)
    assert votes_of(article) == []


def test_a_refused_vote_is_explained_inside_the_frame(app, make_article):
    article = embeddable(make_article)
    client = app.test_client(use_cookies=False)
    response = vote_in_embed(client, article, "Yes", role="")
    assert response.status_code == 400
    assert "Tell us whether you are a client, a professional or neither" in text(response)
    assert frame_ancestors(response).startswith("frame-ancestors http://localhost:8001")
    assert votes_of(article) == []


def test_embed_votes_share_the_anonymous_rate_limit(app, forms, make_article):
    app.config["ANONYMOUS_VOTE_RATE_LIMIT"] = "2 per minute"
    article = embeddable(make_article)
    on_the_site = {"option_ids": str(article.poll.options[0].id), "role": "reader"}
    site_vote = forms.submit(
        f"/articles/{article.slug}", on_the_site, f"/polls/{article.poll.id}/vote"
    )
    assert site_vote.status_code == 302
    client = app.test_client(use_cookies=False)
    assert vote_in_embed(client, article, "No").status_code == 200

    refused = vote_in_embed(client, article, "No")

    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) <= 60
    assert "Too many votes from your network address" in text(refused)
    assert "<h1" in refused.get_data(as_text=True) and QUESTION in text(refused)
    assert frame_ancestors(refused) != FRAMED_BY_NONE
    assert len(votes_of(article)) == 2
    # A vote for a poll that does not exist gets the site's own answer.
    elsewhere = client.post("/embed/polls/99999/vote", data={"option_ids": "1"})
    assert elsewhere.status_code == 429
    assert "Too many votes from your network address" in text(elsewhere)


# What the frame shows.


def test_results_follow_the_polls_visibility_rule(app, make_article):
    after_vote = embeddable(make_article, results_visibility=ResultsVisibility.AFTER_VOTE)
    after_close = embeddable(make_article, results_visibility=ResultsVisibility.AFTER_CLOSE)
    client = app.test_client(use_cookies=False)

    assert "Results appear once you have voted" in text(client.get(embed_url(after_vote)))
    voted = vote_in_embed(client, after_vote, "Yes")
    assert "Voters so far: fewer than 5" in text(voted)
    # Another reader of the page, who has not voted, still does not see them.
    assert "Results appear once you have voted" in text(client.get(embed_url(after_vote)))

    voted = vote_in_embed(client, after_close, "Yes")
    assert "Thank you" in text(voted)
    assert "Results appear when the poll closes" in text(voted)
    assert "Voters so far" not in text(voted)


def test_a_members_only_poll_sends_readers_to_vote_on_the_site(app, make_article):
    article = embeddable(make_article, allow_anonymous=False)
    client = app.test_client(use_cookies=False)
    page = client.get(embed_url(article))
    html = page.get_data(as_text=True)

    assert "<form" not in html
    link = re.search(r'<a class="button" href="([^"]+)" target="_blank" rel="noopener">', html)
    assert link and link.group(1).endswith(f"/articles/{article.slug}#poll")
    assert "Vote on Boundaries" in text(page)
    # A vote posted anyway is refused: the frame carries no login.
    refused = vote_in_embed(client, article, "Yes", form_token=_token(client, article))
    assert refused.status_code == 401
    assert "Log in to vote" in text(refused)
    assert votes_of(article) == []


def _token(client, article):
    from app.embed import ballots

    return ballots.form_token(article.poll.id)


def test_a_closed_poll_shows_its_results_and_no_form(app, make_article):
    article = embeddable(make_article, results_visibility=ResultsVisibility.AFTER_CLOSE)
    article.poll.closed_at = utcnow()
    db.session.commit()
    assert article.poll.status() is PollStatus.CLOSED
    response = app.test_client().get(embed_url(article))
    assert "This poll is closed" in text(response)
    assert "<form" not in response.get_data(as_text=True)
    assert "No votes yet." in text(response)


def test_the_embed_links_to_the_discussion_and_a_poll_of_a_draft_is_not_found(client, make_article):
    article = embeddable(make_article)
    html = client.get(embed_url(article)).get_data(as_text=True)
    assert re.search(
        rf'<a href="http://localhost/articles/{article.slug}#discussion" target="_blank"'
        r' rel="noopener">Join the discussion',
        html,
    )
    draft = embeddable(make_article, status="draft")
    assert client.get(embed_url(draft)).status_code == 404
    assert client.get("/embed/polls/99999").status_code == 404


def test_the_embed_is_small_self_contained_and_without_script(client, make_article):
    article = embeddable(make_article, poll_options=tuple(f"Answer {n}" for n in range(10)))
    response = client.get(embed_url(article))
    html = response.get_data(as_text=True)
    [stylesheet] = re.findall(r'<link rel="stylesheet" href="([^"]+)">', html)
    css = client.get(stylesheet)

    compressed = len(gzip.compress(response.get_data())) + len(gzip.compress(css.get_data()))
    assert compressed < 10 * 1024
    assert "<script" not in html and " style=" not in html and "<style" not in html
    assert not re.search(r"\son[a-z]+=", html)
    # Everything it loads comes from the site itself.
    loaded = re.findall(
        r'<(?:link rel="stylesheet"|img|script|iframe)[^>]*(?:src|href)="([^"]+)"', html
    )
    assert loaded and all(url.startswith("/") for url in loaded)


# oEmbed, discovery and the editors' snippet.


def oembed(client, url, **params):
    query = "&".join(f"{name}={value}" for name, value in params.items())
    return client.get(f"/oembed?url={quote(url, safe='')}" + (f"&{query}" if query else ""))


def test_oembed_gives_the_iframe_of_an_articles_poll(client, make_article):
    article = embeddable(make_article)
    response = oembed(client, f"http://localhost/articles/{article.slug}")

    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    assert body["version"] == "1.0" and body["type"] == "rich"
    assert body["provider_name"] == "Boundaries"
    assert body["provider_url"] == "http://localhost/"
    assert body["title"] == QUESTION
    assert body["width"] == 480 and body["height"] > 300
    src = f"http://localhost/embed/polls/{article.poll.id}"
    assert body["html"].startswith(f'<iframe src="{src}" width="480" height="{body["height"]}"')
    assert 'sandbox="allow-forms allow-popups allow-popups-to-escape-sandbox"' in body["html"]

    smaller = oembed(
        client, f"http://localhost/articles/{article.slug}", maxwidth=320, maxheight=300
    )
    assert (smaller.get_json()["width"], smaller.get_json()["height"]) == (320, 300)
    assert 'width="320" height="300"' in smaller.get_json()["html"]


def test_oembed_refuses_addresses_it_cannot_embed(client, make_article):
    article = embeddable(make_article)
    without_origins = embeddable(make_article, origins=())
    without_poll = make_article()
    site = "http://localhost"
    cases = [
        ("", {}, 400, "Give the address of an article"),
        ("https://elsewhere.example.org/articles/" + article.slug, {}, 404, "not an article on"),
        (f"{site}/authors/{article.author.slug}", {}, 404, "not an article on this site"),
        (f"{site}/articles/no-such-article", {}, 404, "not an article with a poll"),
        (f"{site}/articles/{without_poll.slug}", {}, 404, "not an article with a poll"),
        (f"{site}/articles/{without_origins.slug}", {}, 404, "No site may embed"),
        (f"{site}/articles/{article.slug}", {"format": "xml"}, 501, "Only format=json"),
        (f"{site}/articles/{article.slug}", {"maxwidth": "wide"}, 400, "maxwidth must be"),
        ("http://[not-an-address/articles/x", {}, 404, "not an article on this site"),
    ]
    for url, params, status, said in cases:
        response = oembed(client, url, **params)
        assert response.status_code == status, url
        assert said in response.get_json()["error"]["message"], url


def test_the_article_page_offers_oembed_discovery(client, make_article):
    article = embeddable(make_article)
    html = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    link = re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', html)
    assert link
    assert link.group(1) == f"http://localhost/oembed?url=http://localhost/articles/{article.slug}"
    assert client.get(link.group(1)).get_json()["title"] == QUESTION


def test_editors_see_the_code_to_copy_on_the_article_page(editor, client, make_article):
    article = embeddable(make_article)
    reader = client.application.test_client()
    html = editor.client.get(f"/articles/{article.slug}").get_data(as_text=True)

    snippet = re.search(r'<textarea id="embed-code"[^>]*>([^<]+)</textarea>', html)
    assert snippet
    assert snippet.group(1).startswith(
        f"&lt;iframe src=&#34;http://localhost/embed/polls/{article.poll.id}&#34;"
    )
    assert "Sites that may show it in a frame: http://localhost:8001, https://counselling" in html
    assert "Embed this poll" not in reader.get(f"/articles/{article.slug}").get_data(as_text=True)


def test_emptying_the_list_lets_no_site_frame_the_poll(editor, client, make_article):
    article = embeddable(make_article)
    form = edit_form(editor, article)
    form["embed_origins"] = ""
    assert editor.submit(edit_url(article), form).status_code == 302
    db.session.expire_all()
    assert db.session.get(Article, article.id).embedding_origins == []
    assert frame_ancestors(client.get(embed_url(article))) == FRAMED_BY_NONE
