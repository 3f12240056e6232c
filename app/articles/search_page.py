"""The search page: the articles or the comments that match, with how many of each.

Comments are searched with the article page's own filters (role, stance) and, from an
article's discussion, within that discussion alone. Input the search cannot use is answered on
the page itself, with a message and a 400 or 404, so the reader can correct it there.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from app.articles.pages import live_page
from app.caching.pages import keep_at_most
from app.dates import format_number
from app.errors import refusal_status
from app.models import Article, PollOption
from app.services.articles import search as article_search
from app.services.discussion import search as comment_search
from app.services.discussion.query import RoleFilter, parse_query
from app.services.discussion.reading import poll_options
from app.services.errors import DomainError
from app.services.infra import fulltext
from app.voters import current_viewer


class Tab(StrEnum):
    ARTICLES = "articles"
    COMMENTS = "comments"


@dataclass
class SearchPage:
    terms: str
    tab: Tab = Tab.ARTICLES
    # The words were cut to fulltext.MAX_QUERY_LENGTH characters.
    shortened: bool = False
    error: str | None = None
    status: int = 200
    search: comment_search.CommentSearch | None = None
    articles: object = None  # a Pagination of articles, on the articles tab
    article_snippets: dict = field(default_factory=dict)
    article_total: int = 0
    comments: comment_search.CommentResults | None = None
    comment_total: int = 0
    roles: tuple = tuple(RoleFilter)
    tabs: tuple = tuple(Tab)
    max_query_length: int = fulltext.MAX_QUERY_LENGTH

    @property
    def article(self) -> Article | None:
        """The article whose discussion alone is searched, if any."""
        return self.search.article if self.search else None

    @property
    def options(self) -> list[PollOption]:
        return poll_options(self.article) if self.article is not None else []

    def total(self, tab: Tab) -> int:
        return self.comment_total if tab is Tab.COMMENTS else self.article_total

    def args(self, **changes) -> dict:
        """The query-string arguments of this search with changes, defaults left out."""
        query = self.search.query if self.search else None
        values = {
            "q": self.terms,
            "type": self.tab.value,
            "role": query.role.value if query else None,
            "stance": query.stance if query else None,
            "article": self.article.slug if self.article is not None else None,
            "page": query.page if query else None,
            **changes,
        }
        defaults = {"type": Tab.ARTICLES.value, "role": RoleFilter.EVERYONE.value, "page": 1}
        return {k: v for k, v in values.items() if v is not None and defaults.get(k) != v}

    def url(self, **changes) -> str:
        return url_for("articles.search", **self.args(**changes))


def search_page(args: Mapping) -> SearchPage:
    raw = args.get("q")
    page = SearchPage(terms=fulltext.normalise_query(raw), shortened=fulltext.was_shortened(raw))
    tab = args.get("type") or Tab.ARTICLES.value
    if tab not in set(Tab):
        return _refused(page, 400, _("type must be one of: articles, comments."))
    page.tab = Tab(tab)
    try:
        page.search = _comment_search(page.terms, args)
        if not page.terms:
            return page
        return _with_comments(page) if page.tab is Tab.COMMENTS else _with_articles(page)
    except DomainError as error:
        return _refused(page, refusal_status(error), error.message)


def _comment_search(terms: str, args: Mapping) -> comment_search.CommentSearch:
    query = parse_query(args, per_page=current_app.config["COMMENTS_PER_PAGE"])
    slug = args.get("article")
    article = comment_search.discussion_to_search(slug) if slug else None
    search = comment_search.CommentSearch(terms, query, article)
    comment_search.check_search(search)
    return search


def _with_comments(page: SearchPage) -> SearchPage:
    results = comment_search.search_comments(page.search, current_viewer())
    if results is None:
        return page
    if not results.hits and results.pagination.page > 1:
        pages = results.pagination.pages
        there_are = (
            ngettext(
                "There is %(count)s page.",
                "There are %(count)s pages.",
                pages,
                count=format_number(pages),
            )
            if pages
            else _("Nothing matches.")
        )
        missing = _(
            "There is no page %(page)s of these results.",
            page=format_number(results.pagination.page),
        )
        return _refused(page, 404, f"{missing} {there_are}")
    # Results show how authors voted, which may lag their votes as the article page does.
    keep_at_most(current_app.config["POLL_RESULTS_LAG"])
    page.comments = results
    page.comment_total = results.total
    page.article_total = article_search.count_articles(page.terms)
    return page


def _with_articles(page: SearchPage) -> SearchPage:
    statement = article_search.search_statement(page.terms)
    if statement is None:
        return page
    page.articles = live_page(statement)
    page.article_total = page.articles.total
    page.article_snippets = article_search.snippets(
        [article.id for article in page.articles.items], page.terms
    )
    page.comment_total = comment_search.count_comments(
        comment_search.CommentSearch(page.terms), current_viewer()
    )
    return page


def _refused(page: SearchPage, status: int, message: str) -> SearchPage:
    page.error, page.status = message, status
    return page
