"""Reading articles: home page, the list, the article page, authors and tags."""

import re
from datetime import timedelta

import pytest

from app.extensions import db
from app.models import ArticleStatus, Tag, utcnow
from tests.factories import make_author


def html_of(response):
    return response.get_data(as_text=True)


def main_of(response):
    """The page's <main>, so that navigation and footer links do not count."""
    return html_of(response).split("<main", 1)[1].split("</main>", 1)[0]


def test_home_shows_latest_and_most_discussed(client, make_article):
    quiet = make_article("A quiet question", published_at=utcnow() - timedelta(days=1))
    busy = make_article(
        "The busiest question", comment_count=42, published_at=utcnow() - timedelta(days=5)
    )
    make_article("An unpublished draft", status=ArticleStatus.DRAFT)

    page = client.get("/")

    assert page.status_code == 200
    body = main_of(page)
    latest = body.split('id="latest-heading"', 1)[1].split("</section>", 1)[0]
    assert latest.index(quiet.title) < latest.index(busy.title)
    assert f'Read more<span class="visually-hidden"> about {quiet.title}</span>' in latest
    discussed = body.split('id="discussed-heading"', 1)[1].split("</section>", 1)[0]
    assert busy.title in discussed
    assert quiet.title not in discussed  # no comments yet
    assert "42 comments" in discussed
    assert "An unpublished draft" not in body


def test_home_lists_tags_of_live_articles(client, make_article):
    article = make_article("Tagged piece")
    article.tags = [Tag(name="Social media", slug="social-media")]
    draft = make_article("Hidden piece", status=ArticleStatus.DRAFT)
    draft.tags = [Tag(name="Secret tag", slug="secret-tag")]
    db.session.commit()

    body = main_of(client.get("/"))

    assert 'href="/tags/social-media"' in body
    assert "Secret tag" not in body


def test_article_list_paginates(app, client, make_article):
    app.config["ARTICLES_PER_PAGE"] = 2
    for n in range(5):
        make_article(f"Numbered article {n}", published_at=utcnow() - timedelta(days=n))

    first = main_of(client.get("/articles"))
    third = main_of(client.get("/articles?page=3"))

    assert "Numbered article 0" in first and "Numbered article 1" in first
    assert "Numbered article 2" not in first
    assert "Page 1 of 3" in first and 'href="/articles?page=2"' in first
    assert "Numbered article 4" in third and "Numbered article 0" not in third


@pytest.mark.parametrize("page", ["abc", "999", "0", "-1", "1.5"])
def test_bad_page_numbers_are_not_found(client, make_article, page):
    make_article()
    response = client.get(f"/articles?page={page}")
    assert response.status_code == 404
    assert "<h1" in html_of(response)


def test_article_page_in_the_style_of_the_source_article(client, make_article):
    author = make_author(
        "Northside Counseling Collective",
        organisation="Northside Counseling Collective, LLC",
        location="Albany, New York",
        credentials="BCC, CPC, LMHC, LPC",
        bio="We train counselors in ethics.",
        slug="northside",
    )
    article = make_article(
        "Would you friend your therapist on Facebook?",
        body="## Confidentiality\n\nFriends could *infer* who is a client.",
        summary="Two ethical principles meet on social media.",
        author=author,
        poll_question="Would you accept?",
        slug="friend-your-therapist",
    )
    article.tags = [Tag(name="Social media", slug="social-media")]
    db.session.commit()
    others = [
        make_article(f"Other piece {n}", author=author, published_at=utcnow() - timedelta(days=n))
        for n in range(1, 5)
    ]

    response = client.get("/articles/friend-your-therapist")

    assert response.status_code == 200
    body = main_of(response)
    assert "<h1" in body and article.title in body
    assert 'href="/authors/northside"' in body
    assert f'<time datetime="{article.published_at.isoformat(timespec="seconds")}' in body
    assert "<h2>Confidentiality</h2>" in body and "<em>infer</em>" in body
    assert 'href="/tags/social-media"' in body
    box = body.split('class="author-box"', 1)[1]
    for text in (
        "Northside Counseling Collective, LLC",
        "Albany, New York",
        "BCC, CPC, LMHC, LPC",
        "We train counselors in ethics.",
        "Other articles by Northside Counseling Collective",
    ):
        assert text in box
    # The three most recent other articles, each with its own "Read more".
    for other in others[:3]:
        assert f'Read more<span class="visually-hidden"> about {other.title}</span>' in box
    assert others[3].title not in box
    assert "Would you accept?" in body  # the poll panel


def test_article_page_carries_opengraph_and_canonical(client, make_article):
    article = make_article("Dual relationships", summary="Dinner, or a profile?", slug="dual")
    article.tags = [Tag(name="Ethics", slug="ethics")]
    db.session.commit()

    html = html_of(client.get("/articles/dual"))

    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="og:title" content="Dual relationships">' in html
    assert '<meta property="og:description" content="Dinner, or a profile?">' in html
    assert '<meta property="og:url" content="http://localhost/articles/dual">' in html
    assert '<link rel="canonical" href="http://localhost/articles/dual">' in html
    assert '<meta property="article:published_time" content="' in html
    assert '<meta property="article:author" content="http://localhost/authors/' in html
    assert '<meta property="article:tag" content="Ethics">' in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_script_in_markdown_does_not_become_a_tag(client, make_article):
    make_article(
        body="Hello <script>alert('x')</script> and [bad](javascript:alert(1))", slug="unsafe"
    )

    body = main_of(client.get("/articles/unsafe"))
    article_body = body.split('class="article-body', 1)[1].split("</div>", 1)[0]

    assert "<script" not in article_body
    assert "&lt;script&gt;" in article_body
    assert 'href="javascript:' not in article_body


@pytest.mark.parametrize(
    "fields",
    [
        {"status": ArticleStatus.DRAFT},
        {"status": ArticleStatus.SCHEDULED, "published_at": utcnow() + timedelta(days=2)},
        {"status": ArticleStatus.PUBLISHED, "published_at": utcnow() + timedelta(days=2)},
    ],
    ids=["draft", "scheduled-future", "published-future"],
)
def test_articles_not_live_are_not_found(client, make_article, fields):
    make_article("Not yet for readers", slug="not-yet", **fields)

    response = client.get("/articles/not-yet")

    assert response.status_code == 404
    assert "Not yet for readers" not in html_of(client.get("/"))
    assert "Not yet for readers" not in html_of(client.get("/articles"))


def test_scheduled_article_appears_once_its_time_has_come(client, make_article):
    make_article(
        "Scheduled and due",
        slug="due",
        status=ArticleStatus.SCHEDULED,
        published_at=utcnow() - timedelta(minutes=1),
    )
    assert client.get("/articles/due").status_code == 200


def test_unknown_article_is_a_404_page(client):
    response = client.get("/articles/no-such-article")
    assert response.status_code == 404
    assert "<h1" in html_of(response)


def test_author_page_lists_their_live_articles(client, make_article):
    author = make_author("Harbor Counseling", slug="harbor", credentials="LMHC, LPC")
    make_article("Harbor's published piece", author=author)
    make_article("Harbor's draft", author=author, status=ArticleStatus.DRAFT)
    make_article("Someone else's piece")

    response = client.get("/authors/harbor")

    body = main_of(response)
    assert response.status_code == 200
    assert "<h1>Harbor Counseling</h1>" in body
    assert "LMHC, LPC" in body
    assert "published piece" in body
    assert "Harbor&#39;s draft" not in body and "Harbor's draft" not in body
    assert "Someone else" not in body
    assert client.get("/authors/nobody").status_code == 404
    assert client.get("/authors/harbor?page=2").status_code == 404


def test_tag_page_lists_live_articles_with_the_tag(client, make_article):
    tag = Tag(name="Confidentiality", slug="confidentiality")
    tagged = make_article("Tagged and live")
    hidden = make_article("Tagged draft", status=ArticleStatus.DRAFT)
    make_article("Untagged article")
    tagged.tags = [tag]
    hidden.tags = [tag]
    db.session.commit()

    response = client.get("/tags/confidentiality")

    body = main_of(response)
    assert response.status_code == 200
    assert "Confidentiality" in re.search(r"<h1>(.*?)</h1>", body).group(1)
    assert "Tagged and live" in body
    assert "Tagged draft" not in body and "Untagged article" not in body
    assert client.get("/tags/unknown").status_code == 404
