"""Did the discussion change minds? The from->to tables of a poll, on its page, in its downloads
and in the API, with who had joined the discussion before changing their answer."""

import csv
import io
import re
import secrets

from app.extensions import db
from app.models import PollKind, ResultsVisibility
from app.services.discussion import helpful
from app.services.polls.voting import cast_vote
from tests.conftest import form_token
from tests.factories import make_comment, make_user
from tests.functional.test_insights import text_of, votes


def option_id(poll, label):
    return next(option.id for option in poll.options if option.label == label)


def change_after(poll, member, before, after, *, take_part=None):
    """The member answers `before`, does `take_part` in the discussion, then answers `after`."""
    cast_vote(poll, [option_id(poll, before)], user=member)
    db.session.commit()
    if take_part:
        take_part(member)
        db.session.commit()
    cast_vote(poll, [option_id(poll, after)], user=member)
    db.session.commit()


def poll_with_a_discussion(make_article, **fields):
    article = make_article(
        poll_question="Would you tell your therapist you googled them?",
        poll_options=("Yes", "No"),
        allow_anonymous=True,
        **fields,
    )
    votes(article.poll, "Yes", 8, role="reader")
    votes(article.poll, "No", 8, role="reader")
    # The discussion opens.
    make_comment(article, make_user(role="professional"), "It depends on why you looked.")
    return article


def cell(document, who, key):
    group = next(g for g in document["engagement"] if g["key"] == who)
    if key is None:
        return group["count"], group["disclosure"]
    by = next(c for c in group["by"] if c["key"] == key)
    return by["count"], by["disclosure"]


def move(document, who, before, after):
    found = next(
        m for m in document["moves"] if (m["from"]["label"], m["to"]["label"]) == (before, after)
    )
    count = next(c for c in found["counts"] if c["key"] == who)
    return count["count"], count["disclosure"]


def row_of(page_text, heading, table="by whether the voter had joined it"):
    """The cells of a row of the table whose caption holds `table`, as the page reads."""
    text = page_text[page_text.index(table) :]
    figure = r"[\d,]+(?: \(\d+%\))?|fewer than \d|hidden"
    match = re.search(re.escape(heading) + rf"((?: (?:{figure}))+)", text)
    assert match, f"no row {heading!r}"
    return re.findall(figure, match.group(1))


def test_a_member_who_comments_before_changing_their_vote_counts_as_having_joined(
    client, forms, make_article
):
    article = poll_with_a_discussion(make_article)
    poll = article.poll
    robin = make_user("robin", role="client")
    forms.login("robin")
    page = client.get(f"/articles/{article.slug}").get_data(as_text=True)
    headers = {"X-CSRFToken": form_token(client, page)}
    yes, no = option_id(poll, "Yes"), option_id(poll, "No")
    url = f"/api/v1/polls/{poll.id}/votes"
    assert client.post(url, json={"option_ids": [yes]}, headers=headers).status_code == 200
    forms.submit(
        f"/articles/{article.slug}",
        {"body": "Reading the replies here, I would tell them."},
        f"/articles/{article.slug}/comments",
    )
    assert client.post(url, json={"option_ids": [no]}, headers=headers).status_code == 200

    # Five more clients change the same way after joining (two by marking a comment
    # helpful), and five without a word in between.
    first = make_comment(article, make_user(role="reader"), "I would not.")
    for n in range(5):
        if n < 3:
            take_part = lambda m: make_comment(article, m, "I changed my mind.")  # noqa: E731
        else:
            take_part = lambda m: helpful.set_helpful(first, m, marked=True)  # noqa: E731
        change_after(poll, make_user(role="client"), "Yes", "No", take_part=take_part)
    for _ in range(5):
        change_after(poll, make_user(role="client"), "Yes", "No")
    assert robin.id

    document = client.get(f"/api/v1/polls/{poll.id}/changes").get_json()
    assert cell(document, "client", None) == (11, "shown")
    assert cell(document, "client", "joined") == (6, "shown")
    assert cell(document, "client", "not_joined") == (5, "shown")
    assert cell(document, "client", "anonymous") == (0, "shown")
    assert move(document, "client", "Yes", "No") == (11, "shown")
    assert move(document, "all", "No", "Yes") == (0, "shown")

    page = text_of(client.get(f"/insights/polls/{poll.id}"))
    assert "Did the discussion change minds?" in page
    assert "Changes of answer since the discussion opened: 11." in page
    # The page's tables say what the API says.
    assert row_of(page, "Yes → No", "from one answer to another")[:2] == ["11 (100%)"] * 2
    assert row_of(page, "Clients")[:4] == ["11", "6 (55%)", "5 (45%)", "0 (0%)"]
    assert 'id="moves-chart"' in client.get(f"/insights/polls/{poll.id}").get_data(as_text=True)


def test_a_few_changes_read_fewer_than_five(client, make_article):
    article = poll_with_a_discussion(make_article)
    poll = article.poll
    for _ in range(2):
        take_part = lambda m: make_comment(article, m, "You convinced me.")  # noqa: E731
        change_after(poll, make_user(role="professional"), "No", "Yes", take_part=take_part)

    document = client.get(f"/api/v1/polls/{poll.id}/changes").get_json()
    assert cell(document, "professional", "joined") == (None, "fewer")
    assert move(document, "professional", "No", "Yes") == (None, "fewer")
    assert cell(document, "all", None) == (None, "fewer")

    response = client.get(f"/insights/polls/{poll.id}")
    page = text_of(response)
    assert "Changes of answer since the discussion opened: fewer than 5." in page
    assert "fewer than 5" in " ".join(row_of(page, "Professionals"))
    assert "2 (" not in " ".join(row_of(page, "Professionals"))

    rows = csv.DictReader(io.StringIO(client.get(f"/insights/polls/{poll.id}/changes.csv").text))
    joined = next(
        r
        for r in rows
        if (r["table"], r["group_key"], r["engagement"]) == ("engagement", "professional", "joined")
    )
    assert (joined["count"], joined["suppressed"], joined["disclosure"]) == ("", "yes", "fewer")
    assert joined["note"] == "fewer than 5: between 0 and 4"


def test_changes_before_the_discussion_opened_are_not_counted(client, make_article):
    article = make_article(poll_question="Would you hug your therapist?")
    poll = article.poll
    member = make_user(role="client")
    change_after(poll, member, "Yes", "No")
    make_comment(article, make_user(), "Only if they offer.")

    document = client.get(f"/api/v1/polls/{poll.id}/changes").get_json()
    assert cell(document, "all", None) == (0, "shown")
    page = text_of(client.get(f"/insights/polls/{poll.id}"))
    assert "Voters who changed their answer: fewer than 5" in page
    assert "No answer has changed since the discussion opened." in page


def test_an_anonymous_reader_who_changes_is_counted_apart(client, make_article):
    article = poll_with_a_discussion(make_article)
    poll = article.poll
    for _ in range(6):
        token = secrets.token_urlsafe(12)
        for label in ("No", "Yes"):
            cast_vote(poll, [option_id(poll, label)], voter_token=token, role="reader")
            db.session.commit()

    document = client.get(f"/api/v1/polls/{poll.id}/changes").get_json()
    assert cell(document, "reader", "anonymous") == (6, "shown")
    assert cell(document, "reader", "not_joined") == (0, "shown")


def test_a_multiple_choice_poll_counts_changes_without_from_and_to(client, make_article):
    article = poll_with_a_discussion(make_article, poll_kind=PollKind.MULTIPLE)
    poll = article.poll
    for _ in range(5):
        member = make_user(role="reader")
        cast_vote(poll, [option_id(poll, "Yes")], user=member)
        db.session.commit()
        cast_vote(poll, [option_id(poll, "Yes"), option_id(poll, "No")], user=member)
        db.session.commit()

    document = client.get(f"/api/v1/polls/{poll.id}/changes").get_json()
    assert document["moves"] == []
    assert cell(document, "reader", "not_joined") == (5, "shown")
    page = text_of(client.get(f"/insights/polls/{poll.id}"))
    assert "a change is not from one answer to another" in page


def test_changes_obey_the_results_visibility_rule(client, make_article):
    article = poll_with_a_discussion(make_article, results_visibility=ResultsVisibility.AFTER_VOTE)
    poll = article.poll

    denied = client.get(f"/api/v1/polls/{poll.id}/changes")
    assert denied.status_code == 403
    assert "shown after you vote" in denied.get_json()["error"]["message"]
    for download in ("changes.csv", "changes.json"):
        assert client.get(f"/insights/polls/{poll.id}/{download}").status_code == 403
    assert client.get("/api/v1/polls/999999/changes").status_code == 404


def test_the_downloads_give_what_the_api_gives(client, make_article):
    article = poll_with_a_discussion(make_article)
    poll = article.poll
    for _ in range(7):
        change_after(poll, make_user(role="reader"), "Yes", "No")

    api = client.get(f"/api/v1/polls/{poll.id}/changes").get_json()
    download = client.get(f"/insights/polls/{poll.id}/changes.json")
    assert download.headers["Content-Disposition"] == (
        f'attachment; filename="poll-{poll.id}-changes.json"'
    )
    assert download.get_json() == api
    rows = list(
        csv.DictReader(io.StringIO(client.get(f"/insights/polls/{poll.id}/changes.csv").text))
    )
    moved = [r for r in rows if r["table"] == "moves" and r["group_key"] == "reader"]
    assert [(r["from_option"], r["to_option"], r["count"]) for r in moved] == [
        ("Yes", "No", "7"),
        ("No", "Yes", "0"),
    ]
