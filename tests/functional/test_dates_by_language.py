"""Every date of the site reads one way in each language: "2 March 2025" and "2 de marzo de
2025", with the time "09:30 UTC" where one is shown, and "5 hours ago" as "hace 5 horas"."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from app import transaction
from app.insights.presenters import period_label
from app.services.polls.history import Period
from app.templating import time_ago
from tests.factories import make_comment

PUBLISHED = datetime(2025, 3, 2, 9, 30, tzinfo=UTC)
# Other ways of writing a date that must not appear beside the site's own.
OTHER_FORMS = re.compile(
    r"\b(Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]* \d{1,2}, \d{4}"  # March 2, 2025
    r"|\b\d{1,2} (Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec|ene|abr|ago|dic) \d{4}"  # 2 Mar 2025
    r"|\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}"  # 2025-03-02 09:30
)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.fixture
def article(make_article, make_user):
    article = make_article(
        "Gifts from clients",
        published_at=PUBLISHED,
        poll_question="Would you accept a gift?",
        allow_anonymous=True,
    )
    article.poll.closes_at = datetime(datetime.now(UTC).year + 2, 12, 24, 12, 0, tzinfo=UTC)
    transaction.commit()
    make_comment(article, make_user("robin"), "A card is fine.", created_at=PUBLISHED)
    return article


def test_an_article_its_poll_and_its_comments_write_dates_alike_in_english(client, article):
    closes = article.poll.closes_at

    page = text_of(client.get(f"/articles/{article.slug}"))

    assert "2 March 2025" in page
    assert "2 March 2025, 09:30 UTC" in page  # the comment's time
    assert f"closes 24 December {closes.year}" in page
    assert not OTHER_FORMS.search(page), OTHER_FORMS.search(page)


def test_an_article_its_poll_and_its_comments_write_dates_alike_in_spanish(client, article):
    closes = article.poll.closes_at

    page = text_of(client.get(f"/articles/{article.slug}", headers={"Accept-Language": "es"}))

    assert "2 de marzo de 2025" in page
    assert "2 de marzo de 2025, 09:30 UTC" in page
    assert f"se cierra el 24 de diciembre de {closes.year}" in page
    assert "March" not in page and not OTHER_FORMS.search(page), OTHER_FORMS.search(page)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["just now", "1 hour ago", "5 hours ago", "1 week ago", "in 2 days"]),
        ("es", ["ahora mismo", "hace 1 hora", "hace 5 horas", "hace 1 semana", "dentro de 2 días"]),
    ],
)
def test_relative_times_are_written_in_the_reader_s_language_with_plurals(app, language, expected):
    now = datetime.now(UTC)
    ago = [timedelta(seconds=20), timedelta(hours=1), timedelta(hours=5), timedelta(days=9)]

    with app.test_request_context(headers={"Accept-Language": language}):
        written = [time_ago(now - delta) for delta in ago]
        written.append(time_ago(now + timedelta(days=2, minutes=1)))

    assert written == expected


@pytest.mark.parametrize(
    ("language", "week", "month"),
    [
        ("en", "Week of 3 March 2025", "March 2025"),
        ("es", "Semana del 3 de marzo de 2025", "marzo de 2025"),
    ],
)
def test_insights_periods_are_written_as_the_site_writes_dates(app, language, week, month):
    with app.test_request_context(headers={"Accept-Language": language}):
        assert period_label(Period(date(2025, 3, 3), date(2025, 3, 10))) == week
        assert period_label(Period(date(2025, 3, 1), date(2025, 4, 1))) == month
