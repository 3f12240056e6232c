"""Machine-readable views of the site: the Atom feed, the sitemap and robots.txt."""

from datetime import datetime
from xml.etree import ElementTree as ET

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.links import external_url
from app.models import Article, AuthorProfile, Tag, article_tags, utcnow
from app.services.articles.listing import live_articles
from app.templating import iso

ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
# ElementTree writes this name as xml:lang.
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEED_ENTRIES = 20
PRIVATE_PATHS = ("/account/", "/editor/", "/api/", "/inbox/")


def _latest_change(article: Article) -> datetime:
    return max(article.published_at, article.updated_at)


def _sub(parent, tag, text=None, **attributes):
    element = ET.SubElement(parent, tag, attributes)
    if text is not None:
        element.text = text
    return element


def atom_feed() -> bytes:
    articles = list(
        db.session.scalars(live_articles().options(joinedload(Article.author)).limit(FEED_ENTRIES))
    )
    config = current_app.config
    # One feed for everyone, whatever language each reader asks for: feed readers and the
    # services that share it fetch one address, and caches on the way may not keep a copy per
    # language. It speaks the site's default language and says so; entries may say otherwise.
    language = config["LANGUAGES"][0]
    feed = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: language})
    _sub(feed, "id", external_url("articles.home"))
    _sub(feed, "title", config["SITE_NAME"])
    with force_locale(language):
        _sub(feed, "subtitle", gettext(config["SITE_TAGLINE"]))
    updated = max((_latest_change(a) for a in articles), default=None) or utcnow()
    _sub(feed, "updated", iso(updated))
    _sub(feed, "link", rel="self", href=external_url("articles.feed"))
    _sub(
        feed,
        "link",
        rel="alternate",
        type="text/html",
        href=external_url("articles.home"),
    )
    for article in articles:
        _entry(feed, article)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _entry(feed, article: Article) -> None:
    url = external_url("articles.article", slug=article.slug)
    entry = _sub(feed, "entry")
    entry.set(XML_LANG, article.language)  # the entry's texts, whatever the feed's
    _sub(entry, "id", url)
    _sub(entry, "title", article.title)
    _sub(entry, "link", rel="alternate", type="text/html", href=url)
    _sub(entry, "published", iso(article.published_at))
    _sub(entry, "updated", iso(_latest_change(article)))
    author = _sub(entry, "author")
    _sub(author, "name", article.author.display_name)
    _sub(author, "uri", external_url("articles.author", slug=article.author.slug))
    _sub(entry, "summary", article.summary, type="text")
    # ElementTree escapes the markup, as Atom's type="html" requires.
    _sub(entry, "content", article.body_html, type="html")


def sitemap() -> bytes:
    urlset = ET.Element("urlset", {"xmlns": SITEMAP_NS})
    newest = db.session.scalar(select(func.max(Article.published_at)).where(Article.live()))
    _url(urlset, external_url("articles.home"), newest)
    _url(urlset, external_url("articles.index"), newest)
    for slug, updated_at, published_at in db.session.execute(
        select(Article.slug, Article.updated_at, Article.published_at)
        .where(Article.live())
        .order_by(Article.published_at.desc())
    ):
        lastmod = max(updated_at, published_at)
        _url(urlset, external_url("articles.article", slug=slug), lastmod)
    for slug, lastmod in db.session.execute(
        select(AuthorProfile.slug, func.max(Article.published_at))
        .join(Article, Article.author_id == AuthorProfile.id)
        .where(Article.live())
        .group_by(AuthorProfile.slug)
        .order_by(AuthorProfile.slug)
    ):
        _url(urlset, external_url("articles.author", slug=slug), lastmod)
    for slug, lastmod in db.session.execute(
        select(Tag.slug, func.max(Article.published_at))
        .join(article_tags, article_tags.c.tag_id == Tag.id)
        .join(Article, Article.id == article_tags.c.article_id)
        .where(Article.live())
        .group_by(Tag.slug)
        .order_by(Tag.slug)
    ):
        _url(urlset, external_url("articles.tag", slug=slug), lastmod)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True)


def _url(urlset, location: str, lastmod) -> None:
    url = _sub(urlset, "url")
    _sub(url, "loc", location)
    if lastmod is not None:
        _sub(url, "lastmod", iso(lastmod))


def robots_txt() -> str:
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in PRIVATE_PATHS]
    lines += ["", f"Sitemap: {external_url('articles.sitemap')}", ""]
    return "\n".join(lines)
