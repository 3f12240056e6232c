"""Insights pages: results per poll, the scope switch, visibility rules, the site-wide page."""

import re
import secrets
from datetime import timedelta

from flask import render_template

from app.extensions import db
from app.models import Comment, CommentStatus, ResultsVisibility, utcnow
from app.services.polls.results import build_results
from app.services.polls.voting import cast_vote
from tests.factories import make_user


def vote(poll, label, *, role="client", discipline=None, verified=False, member=False):
    option = next(option for option in poll.options if option.label == label)
    if member:
        user = make_user(role=role, discipline=discipline, verified=verified)
        cast_vote(poll, [option.id], user=user)
    else:
        token = secrets.token_urlsafe(12)
        cast_vote(poll, [option.id], voter_token=token, role=role, discipline=discipline)
    db.session.commit()


def votes(poll, label, n, **who):
    for _ in range(n):
        vote(poll, label, **who)


def crafted_poll(make_article, **poll_fields):
    """12 clients, 12 readers, and a group of only three professionals (all counselors)."""
    article = make_article(
        poll_question="Would you friend your therapist on Facebook?",
        poll_options=("Yes", "No"),
        allow_anonymous=True,
        **poll_fields,
    )
    poll = article.poll
    votes(poll, "Yes", 7, role="client")
    votes(poll, "No", 5, role="client")
    votes(poll, "Yes", 2, role="professional", discipline="counselor")
    votes(poll, "No", 1, role="professional", discipline="counselor")
    votes(poll, "Yes", 6, role="reader")
    votes(poll, "No", 6, role="reader")
    return poll


def text_of(response):
    html = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_poll_page_shows_counts_shares_intervals_and_breakdowns(client, make_article):
    article = make_article(
        poll_question="Would you accept a client's friend request?",
        poll_options=("Yes", "No"),
        allow_anonymous=True,
    )
    poll = article.poll
    votes(poll, "Yes", 6, role="client")
    votes(poll, "No", 14, role="client")
    votes(poll, "Yes", 15, role="professional", discipline="psychologist")
    votes(poll, "No", 5, role="professional", discipline="psychologist")

    response = client.get(f"/insights/polls/{poll.id}")
    assert response.status_code == 200
    page = text_of(response)
    assert "40 voters" in page
    assert "Yes 21 53% 37% to 67%" in page  # 21 of 40, Wilson interval
    assert "Clients 20 6 (30%) 14 (70%)" in page
    assert "Professionals 20 15 (75%) 5 (25%)" in page
    assert "Psychologist 20 15 (75%) 5 (25%)" in page
    assert "The groups answer differently" in page
    assert "groups compared: Clients, Professionals" in page
    assert "Votes over time" in page and "40 ballots" in page  # all cast this week
    html = response.get_data(as_text=True)
    assert html.count('role="img"') == 3
    assert f'href="/insights/polls/{poll.id}/results.csv?by=role&amp;scope=all"' in html


def test_a_group_of_three_professionals_reads_fewer_than_five_everywhere(client, make_article):
    poll = crafted_poll(make_article)

    page = text_of(client.get(f"/insights/polls/{poll.id}"))
    assert "Professionals fewer than 5 fewer than 5 fewer than 5" in page
    assert "Counselor / therapist fewer than 5 fewer than 5 fewer than 5" in page
    test_sentence = page.split("Do the groups answer differently?")[1].split("Professionals by")[0]
    assert "Professionals" not in test_sentence

    data = client.get(f"/insights/polls/{poll.id}/results.json?by=discipline").get_json()
    counselors = data["breakdown"]["groups"][0]
    assert counselors["key"] == "counselor"
    assert counselors["total"] is None and counselors["suppressed"] is True
    assert [o["count"] for o in counselors["options"]] == [None, None]

    csv_text = client.get(f"/insights/polls/{poll.id}/results.csv").get_data(as_text=True)
    professional_rows = [line for line in csv_text.splitlines() if ",professional," in line]
    assert len(professional_rows) == 3
    assert all(",,yes,fewer,fewer than 5: between 0 and 4" in line for line in professional_rows)

    api = build_results(poll).to_json()
    professionals = next(g for g in api["breakdown"]["groups"] if g["key"] == "professional")
    assert professionals["total"] is None
    assert [o["count"] for o in professionals["options"]] == [None, None]
    # Yes overall (15) minus clients (7) and readers (6) would give the professionals' 2.
    clients = next(g for g in api["breakdown"]["groups"] if g["key"] == "client")
    readers = next(g for g in api["breakdown"]["groups"] if g["key"] == "reader")
    shown_yes = [api["options"][0]["count"], clients["options"][0]["count"]]
    shown_yes.append(readers["options"][0]["count"])
    assert None in shown_yes


def test_results_json_has_the_api_shape(client, make_article):
    poll = crafted_poll(make_article)
    response = client.get(f"/insights/polls/{poll.id}/results.json?by=role&scope=all")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    data = response.get_json()
    assert set(data) == {
        "poll_id",
        "kind",
        "scope",
        "total",
        "total_disclosure",
        "options",
        "breakdown",
        "independence",
        "min_group_size",
        "history",
    }
    assert data["poll_id"] == poll.id and data["min_group_size"] == 5
    assert set(data["options"][0]) == {"id", "label", "count", "disclosure", "share", "ci95"}
    assert data["breakdown"]["by"] == "role"
    assert [g["key"] for g in data["breakdown"]["groups"]] == ["client", "professional", "reader"]
    assert set(data["breakdown"]["groups"][0]) == {
        "key",
        "label",
        "total",
        "suppressed",
        "disclosure",
        "options",
    }
    assert data["total"] == 27 and data["total_disclosure"] == "shown"
    professionals = data["breakdown"]["groups"][1]
    assert professionals["total"] is None and professionals["disclosure"] == "fewer"
    assert [period["ballots"] for period in data["history"]["periods"]] == [27]
    assert data["history"]["changes"] == {"count": 0, "disclosure": "shown"}


def test_csv_export_is_an_attachment_with_one_row_per_count(client, make_article):
    poll = crafted_poll(make_article)
    response = client.get(f"/insights/polls/{poll.id}/results.csv?by=role&scope=all")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == (
        "scope,breakdown,group_key,group,option_id,option,count,suppressed,disclosure,note"
    )
    assert lines[1] == "All votes,role,all,All voters,,(voters),27,no,shown,"
    assert len(lines) == 1 + 3 + 3 * 3


def test_scope_switch_counts_members_and_verified_professionals_only(client, make_article):
    article = make_article(poll_question="Should therapists google clients?", allow_anonymous=True)
    poll = article.poll
    votes(poll, "No", 8, role="client")  # anonymous
    votes(poll, "No", 6, role="client", member=True)
    votes(poll, "Yes", 5, role="professional", discipline="counselor", member=True, verified=True)
    votes(poll, "No", 5, role="professional", discipline="counselor", member=True, verified=True)

    everyone = text_of(client.get(f"/insights/polls/{poll.id}"))
    members = text_of(client.get(f"/insights/polls/{poll.id}?scope=members"))
    verified = text_of(client.get(f"/insights/polls/{poll.id}?scope=verified"))
    assert "24 voters (all votes)" in everyone
    assert "16 voters (members only)" in members
    assert "10 voters (verified professionals)" in verified
    assert "Clients 0" in verified
    page = client.get(f"/insights/polls/{poll.id}?scope=members").get_data(as_text=True)
    assert 'id="scope-members" value="members" checked' in page
    assert ">Show</button>" in page
    data = client.get(f"/insights/polls/{poll.id}/results.json?scope=verified").get_json()
    assert data["total"] == 10


def test_bad_breakdown_or_scope_gets_a_400_page_not_a_500(client, make_article):
    poll = crafted_poll(make_article)
    for url in (
        f"/insights/polls/{poll.id}?scope=everyone",
        f"/insights/polls/{poll.id}/results.csv?by=age",
        f"/insights/polls/{poll.id}/results.json?scope=",
    ):
        response = client.get(url)
        assert response.status_code == 400, url
        assert "Unknown" in response.get_data(as_text=True)


def test_unknown_or_unpublished_polls_are_not_found(client, make_article):
    draft = make_article(poll_question="Draft question?", status="draft")
    assert client.get(f"/insights/polls/{draft.poll.id}").status_code == 404
    assert client.get(f"/insights/polls/{draft.poll.id}/results.json").status_code == 404
    assert client.get("/insights/polls/999999").status_code == 404


def test_results_after_voting_are_withheld_until_the_reader_votes(client, forms, make_article):
    poll = crafted_poll(make_article, results_visibility=ResultsVisibility.AFTER_VOTE)
    response = client.get(f"/insights/polls/{poll.id}")
    assert response.status_code == 200
    page = text_of(response)
    assert "Results appear once you have voted in this poll" in page
    assert "27 voters" not in page and "fewer than 5" not in page
    for export in ("results.csv", "results.json"):
        denied = client.get(f"/insights/polls/{poll.id}/{export}")
        assert denied.status_code == 403
        assert "once you have voted" in denied.get_data(as_text=True)

    member = make_user(role="client")
    forms.login(member.username)
    assert "Results appear once" in text_of(client.get(f"/insights/polls/{poll.id}"))
    cast_vote(poll, [poll.options[0].id], user=member)
    db.session.commit()
    assert "28 voters" in text_of(client.get(f"/insights/polls/{poll.id}"))
    assert client.get(f"/insights/polls/{poll.id}/results.csv").status_code == 200


def test_the_json_download_answers_its_errors_in_json(client, make_article):
    poll = crafted_poll(make_article, results_visibility=ResultsVisibility.AFTER_VOTE)
    shown = crafted_poll(make_article)
    draft = make_article(poll_question="Draft question?", status="draft")

    denied = client.get(f"/insights/polls/{poll.id}/results.json")
    assert denied.status_code == 403
    assert denied.mimetype == "application/json"
    error = denied.get_json()["error"]
    assert error["status"] == 403
    assert "once you have voted" in error["message"]
    for url, status in (
        (f"/insights/polls/{draft.poll.id}/results.json", 404),
        ("/insights/polls/999999/results.json", 404),
        (f"/insights/polls/{shown.id}/results.json?by=age", 400),
    ):
        response = client.get(url)
        assert response.status_code == status, url
        assert response.get_json()["error"]["status"] == status, url
    # The pages and the CSV download keep their error pages.
    assert client.get(f"/insights/polls/{poll.id}/results.csv").mimetype == "text/html"


def test_the_csv_download_names_its_charset_once(client, make_article):
    poll = crafted_poll(make_article)

    response = client.get(f"/insights/polls/{poll.id}/results.csv")

    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_results_after_closing_say_when_the_poll_closes(client, make_article):
    poll = crafted_poll(make_article, results_visibility=ResultsVisibility.AFTER_CLOSE)
    poll.closes_at = utcnow() + timedelta(days=3)
    db.session.commit()
    page = text_of(client.get(f"/insights/polls/{poll.id}"))
    assert "Results appear when the poll closes on" in page
    poll.close()
    db.session.commit()
    assert "27 voters" in text_of(client.get(f"/insights/polls/{poll.id}"))


def test_stance_changes_are_reported(client, make_article):
    article = make_article(poll_question="Would you accept a gift?", allow_anonymous=True)
    poll = article.poll
    votes(poll, "Yes", 6, role="client")
    member = make_user(role="client")
    yes, no = (option.id for option in poll.options)
    for choice in (yes, no, yes):
        cast_vote(poll, [choice], user=member)
    db.session.commit()
    page = text_of(client.get(f"/insights/polls/{poll.id}"))
    # One voter and two changes: both small, so neither is given exactly.
    assert "Voters who changed their answer: fewer than 5; changes in all: fewer than 5." in page


def test_site_wide_page_compares_polls_and_withholds_hidden_results(client, make_article):
    open_poll = crafted_poll(make_article)
    article = make_article(poll_question="Is a hug ever all right?", allow_anonymous=True)
    votes(article.poll, "Yes", 10, role="client")
    votes(article.poll, "No", 10, role="client")
    votes(article.poll, "Yes", 18, role="professional", discipline="coach")
    votes(article.poll, "No", 6, role="professional", discipline="coach")
    hidden = make_article(
        poll_question="Should sessions be recorded?",
        results_visibility=ResultsVisibility.AFTER_CLOSE,
        allow_anonymous=True,
    )
    votes(hidden.poll, "Yes", 9, role="client")
    commenters = [make_user(role="client") for _ in range(6)] + [make_user(role="professional")]
    for author in commenters:
        db.session.add(
            Comment(
                article_id=article.id,
                author_id=author.id,
                body_markdown="A thought.",
                body_html="<p>A thought.</p>",
                status=CommentStatus.PUBLISHED,
            )
        )
    db.session.commit()

    response = client.get("/insights/")
    assert response.status_code == 200
    page = text_of(response)
    assert open_poll.question in page and "Is a hug ever all right?" in page
    assert "Should sessions be recorded?" in page
    assert "Results appear when the poll closes" in page
    assert "9 voters" not in page
    # Clients 50% yes, professionals 75% yes: 25 points apart.
    assert "25 points apart on “Yes” (clients 50%, professionals 75%)" in page
    # Anyone can count the seven commenters' names: with one professional shown as "fewer
    # than 5", the six clients are hidden too, or they would give the professional away.
    assert "Clients at least 20 hidden" in page
    assert "Professionals at least 24 fewer than 5" in page
    html = response.get_data(as_text=True)
    assert html.count('role="img"') == 2


def test_compact_results_block_for_the_article_page(app, make_article):
    poll = crafted_poll(make_article)
    with app.test_request_context("/"):
        html = render_template("insights/_results.html", results=build_results(poll))
    assert 'role="img"' in html
    assert "fewer than 5" in html
    assert f'href="/insights/polls/{poll.id}"' in html
    assert "See full insights" in html
