"""The Atom feed, the sitemap and robots.txt."""

from datetime import timedelta
from xml.etree import ElementTree as ET

from app.extensions import db
from app.models import ArticleStatus, Tag, utcnow

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_atom_feed_lists_live_articles_newest_first(client, make_article):
    older = make_article("Older piece", published_at=utcnow() - timedelta(days=3))
    newer = make_article(
        "Newer piece & more",
        body="Text with <b>markup</b> **bold**",
        slug="newer",
        published_at=utcnow() - timedelta(days=1),
    )
    make_article("Draft piece", status=ArticleStatus.DRAFT)

    response = client.get("/feed.atom")

    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == "http://localhost/"
    assert feed.findtext(f"{ATOM}updated")
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [newer.title, older.title]
    entry = entries[0]
    assert entry.findtext(f"{ATOM}id") == "http://localhost/articles/newer"
    assert entry.find(f"{ATOM}link").get("href") == "http://localhost/articles/newer"
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == newer.author.display_name
    assert entry.findtext(f"{ATOM}summary") == newer.summary
    content = entry.find(f"{ATOM}content")
    assert content.get("type") == "html"
    # The HTML travels escaped and comes back whole once parsed.
    assert "<strong>bold</strong>" in content.text
    assert b"<strong>" not in response.data
    for tag in ("id", "title", "updated", "published"):
        assert entry.findtext(f"{ATOM}{tag}"), tag


def test_atom_feed_is_valid_without_articles(client):
    feed = ET.fromstring(client.get("/feed.atom").data)
    assert feed.findall(f"{ATOM}entry") == []
    assert feed.findtext(f"{ATOM}updated")


def test_sitemap_lists_live_articles_authors_and_tags(client, make_article):
    live = make_article("Live piece", slug="live-piece")
    live.tags = [Tag(name="Ethics", slug="ethics")]
    draft = make_article("Draft piece", slug="draft-piece", status=ArticleStatus.DRAFT)
    draft.tags = [Tag(name="Secret", slug="secret")]
    make_article(
        "Future piece",
        slug="future-piece",
        status=ArticleStatus.SCHEDULED,
        published_at=utcnow() + timedelta(days=1),
    )
    db.session.commit()

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    urlset = ET.fromstring(response.data)
    locations = {url.findtext(f"{SITEMAP}loc"): url for url in urlset.findall(f"{SITEMAP}url")}
    assert "http://localhost/" in locations
    assert "http://localhost/articles" in locations
    assert "http://localhost/articles/live-piece" in locations
    assert f"http://localhost/authors/{live.author.slug}" in locations
    assert "http://localhost/tags/ethics" in locations
    assert "http://localhost/articles/draft-piece" not in locations
    assert "http://localhost/articles/future-piece" not in locations
    assert f"http://localhost/authors/{draft.author.slug}" not in locations
    assert "http://localhost/tags/secret" not in locations
    lastmod = locations["http://localhost/articles/live-piece"].findtext(f"{SITEMAP}lastmod")
    assert lastmod.startswith(str(live.published_at.year))


def test_robots_txt_keeps_private_areas_out_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /" in lines
    for path in ("/account/", "/editor/", "/api/", "/inbox/"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://localhost/sitemap.xml" in lines


def test_the_feed_speaks_the_site_s_default_language_whoever_asks(app, client):
    english = ET.fromstring(client.get("/feed.atom").data)
    for_spanish_reader = ET.fromstring(
        client.get("/feed.atom", headers={"Accept-Language": "es"}).data
    )

    tagline = "Questions of ethics between clients and the people who help them"
    for feed in (english, for_spanish_reader):
        assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
        assert feed.findtext(f"{ATOM}subtitle") == tagline


def test_a_site_whose_first_language_is_spanish_has_a_spanish_feed(app, client):
    app.config["LANGUAGES"] = ("es", "en")

    feed = ET.fromstring(client.get("/feed.atom").data)

    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == "es"
    assert feed.findtext(f"{ATOM}subtitle") == (
        "Cuestiones de ética entre clientes y quienes les ayudan"
    )
