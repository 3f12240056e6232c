"""Markdown rendered once, at write time, and sanitised with nh3.

Pages show the stored HTML, so the parser and the sanitiser are loaded by the first write,
not when a worker starts.
"""

from functools import cache
from html import unescape

ARTICLE_TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "strong",
    "em",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "img",
    "figure",
    "figcaption",
}
COMMENT_TAGS = {"p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a"}
URL_SCHEMES = {"http", "https", "mailto"}


@cache
def _article_markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True})


@cache
def _comment_markdown():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False, "typographer": True}).disable(
        ["image", "heading", "lheading", "html_block", "html_inline", "table"], True
    )


def render_article(text: str) -> str:
    import nh3

    html = _article_markdown().render(text)
    return nh3.clean(
        html,
        tags=ARTICLE_TAGS,
        attributes={"a": {"href", "title"}, "img": {"src", "alt", "title"}},
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
    )


def render_comment(text: str) -> str:
    import nh3

    html = _comment_markdown().render(text)
    return nh3.clean(
        html,
        tags=COMMENT_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
    )


def plain_text(html: str) -> str:
    """The text of sanitised HTML, unescaped, for e-mails and summaries.

    Whatever shows it as HTML escapes it again (Jinja does), so "&" reads as "&" in both.
    """
    import nh3

    return unescape(nh3.clean(html, tags=set())).strip()
