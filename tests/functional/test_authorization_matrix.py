"""Who may do what: every route of the site, tried by every kind of visitor.

ACCESS below is the reference of the site's authorization rules: each endpoint of the URL map
with the rule that guards it. The first test fails when a route is added without a rule (or
a rule outlives its route); the matrix test then sends every method of every route, with real
arguments and a valid CSRF token, as each of six actors, and checks the answer against the rule.
"""

from dataclasses import dataclass
from datetime import timedelta
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from app.embed import ballots
from app.extensions import db
from app.models import (
    AccountStatus,
    Appeal,
    AppealStatus,
    ArticleStatus,
    BannedWord,
    Comment,
    CommentStatus,
    HelpfulMark,
    ModerationAction,
    Notification,
    NotificationKind,
    OutboxMessage,
    OutboxStatus,
    Report,
    Tag,
    User,
    VerificationRequest,
    VerificationStatus,
    Vote,
    utcnow,
)
from app.services.articles.embedding import set_embed_origins
from tests.conftest import FormClient, form_token
from tests.factories import make_article, make_author, make_comment, make_user

ACTORS = ("anonymous", "member", "suspended", "moderator", "editor", "admin")
STAFF_RANK = {"anonymous": 0, "member": 0, "suspended": 0, "moderator": 1, "editor": 2, "admin": 3}
STAFF_RULES = {"moderator": 1, "editor": 2, "admin": 3}
USERNAMES = {
    "member": "mia_member",
    "suspended": "sam_suspended",
    "moderator": "moe_moderator",
    "editor": "eddie_editor",
    "admin": "ada_admin",
}

RULES = {
    "public": "anyone, logged in or not",
    "member": "logged-in members (a visitor is sent to log in)",
    "member-writes": "logged-in members; a suspended or banned member's POST is refused with "
    "a message and changes nothing",
    "vote": "anyone (the poll allows anonymous votes); a restricted member is refused",
    "owner": "the author of the comment only; anyone else gets 403",
    "owner-hidden": "the recipient only; anyone else gets 404, as if it did not exist",
    "moderator": "moderators, editors and admins; other members get 403",
    "editor": "editors and admins; moderators and members get 403",
    "admin": "admins only; editors, moderators and members get 403",
    "api-public": "anyone (JSON)",
    "api-vote": "anyone the poll accepts (JSON); a restricted member gets a JSON 403",
    "embed-vote": "anyone, as an anonymous voter: the partner's frame carries no login, so no "
    "account plays a part",
    "operator": "the bearer token of METRICS_TOKEN only, not a login; without the setting (as "
    "here) a 404 for everyone",
}

ACCESS = {
    # Reading the site
    "articles.home": "public",
    "articles.index": "public",
    "articles.article": "public",
    "articles.events": "public",
    "articles.author": "public",
    "articles.tag": "public",
    "articles.search": "public",
    "articles.feed": "public",
    "articles.sitemap": "public",
    "articles.robots": "public",
    "comments.permalink": "public",
    "comments.common_ground": "public",
    "insights.index": "public",
    "insights.poll": "public",
    "insights.results_csv": "public",
    "insights.results_json": "public",
    "insights.changes_csv": "public",
    "insights.changes_json": "public",
    "polls.panel": "public",
    "polls.vote": "vote",
    "tokens.issue": "public",
    # Polls on partner sites
    "embed.poll": "public",
    "embed.vote": "embed-vote",
    "embed.oembed_answer": "api-public",
    # Accounts
    "accounts.register": "public",
    "accounts.login": "public",
    "accounts.logout": "public",
    "accounts.reset_request": "public",
    "accounts.reset_password": "public",
    "accounts.confirm_address": "public",
    "accounts.unsubscribe": "public",
    "accounts.choose_language": "public",
    "accounts.settings": "member",
    "accounts.password": "member",
    "accounts.export": "member",
    "accounts.delete": "member",
    "accounts.sessions": "member",
    "accounts.end_session": "member",
    "accounts.log_out_everywhere": "member",
    # Taking part in discussions
    "comments.create": "member-writes",
    "comments.reply": "member-writes",
    "comments.helpful": "member-writes",
    "comments.preview": "member",
    "comments.follow": "member",
    "comments.unfollow": "member",
    "comments.edit": "owner",
    "comments.delete": "owner",
    "safety.report": "member-writes",
    "safety.appeal": "owner",
    "safety.verification": "member",
    "notifications.inbox": "member",
    "notifications.read_all": "member",
    "notifications.following": "member",
    "notifications.read": "owner-hidden",
    # Moderation
    "moderation.index": "moderator",
    "moderation.queue_view": "moderator",
    "moderation.approve": "moderator",
    "moderation.remove": "moderator",
    "moderation.restore": "moderator",
    "moderation.feature": "moderator",
    "moderation.unfeature": "moderator",
    "moderation.bulk_approve": "moderator",
    "moderation.bulk_remove": "moderator",
    "moderation.members": "moderator",
    "moderation.member": "moderator",
    "moderation.warn": "moderator",
    "moderation.suspend": "moderator",
    "moderation.ban": "moderator",
    "moderation.unban": "moderator",
    "moderation.revoke_verification": "moderator",
    "moderation.staff_level": "admin",
    "moderation.verifications": "moderator",
    "moderation.approve_verification": "moderator",
    "moderation.decline_verification": "moderator",
    "moderation.appeals": "moderator",
    "moderation.grant_appeal": "moderator",
    "moderation.deny_appeal": "moderator",
    "moderation.words": "moderator",
    "moderation.add_word": "moderator",
    "moderation.delete_word": "moderator",
    "moderation.articles": "moderator",
    "moderation.lock": "moderator",
    "moderation.unlock": "moderator",
    "moderation.premoderate": "moderator",
    "moderation.stop_premoderating": "moderator",
    "moderation.close_poll": "moderator",
    "moderation.reopen_poll": "moderator",
    "moderation.log": "moderator",
    "moderation.failed_mail": "admin",
    "moderation.retry_mail": "admin",
    # Writing articles
    "editor.index": "editor",
    "editor.new_article": "editor",
    "editor.edit_article": "editor",
    "editor.preview_article": "editor",
    "editor.publish_article": "editor",
    "editor.unpublish_article": "editor",
    "editor.schedule_article": "editor",
    "editor.authors": "editor",
    "editor.new_author": "editor",
    "editor.edit_author": "editor",
    "editor.delete_author": "editor",
    # JSON API
    "api.list_articles": "api-public",
    "api.get_article": "api-public",
    "api.article_comments": "api-public",
    "api.poll_detail": "api-public",
    "api.poll_results": "api-public",
    "api.poll_changes": "api-public",
    "api.openapi_document": "api-public",
    "api.cast_vote": "api-vote",
    # What operators and load balancers read
    "healthz": "api-public",
    "metrics": "operator",
}

# URL arguments, from the seeded site. Each destructive action gets its own record, so that
# one probe cannot spoil the next (a deleted author cannot then be edited).
ARGS = {
    "articles.article": lambda s: {"slug": s.article_slug},
    "articles.events": lambda s: {"slug": s.article_slug},
    "articles.author": lambda s: {"slug": s.author_slug},
    "articles.tag": lambda s: {"slug": s.tag_slug},
    "articles.search": lambda s: {"q": "therapist"},
    "comments.permalink": lambda s: {"comment_id": s.their_comment},
    "insights.poll": lambda s: {"poll_id": s.poll},
    "insights.results_csv": lambda s: {"poll_id": s.poll},
    "insights.results_json": lambda s: {"poll_id": s.poll},
    "insights.changes_csv": lambda s: {"poll_id": s.poll},
    "insights.changes_json": lambda s: {"poll_id": s.poll},
    "polls.panel": lambda s: {"poll_id": s.poll},
    "polls.vote": lambda s: {"poll_id": s.poll},
    "embed.poll": lambda s: {"poll_id": s.poll},
    "embed.vote": lambda s: {"poll_id": s.poll},
    "embed.oembed_answer": lambda s: {"url": f"http://localhost/articles/{s.article_slug}"},
    "accounts.reset_password": lambda s: {"token": "not-a-real-token"},
    "accounts.confirm_address": lambda s: {"token": "not-a-real-token"},
    "accounts.unsubscribe": lambda s: {"token": "not-a-real-token"},
    # A session of nobody's: ending the actor's own would log them out before the next probe.
    "accounts.end_session": lambda s: {"session_id": 999_999},
    "comments.create": lambda s: {"slug": s.article_slug},
    "comments.reply": lambda s: {"comment_id": s.their_comment},
    "comments.helpful": lambda s: {"comment_id": s.their_comment},
    "comments.follow": lambda s: {"slug": s.article_slug},
    "comments.unfollow": lambda s: {"slug": s.article_slug},
    "safety.report": lambda s: {"comment_id": s.their_comment},
    "moderation.queue_view": lambda s: {"view": "reported"},
    "moderation.approve": lambda s: {"comment_id": s.pending_comment},
    "moderation.remove": lambda s: {"comment_id": s.comment_to_remove},
    "moderation.restore": lambda s: {"comment_id": s.removed_comment},
    "moderation.feature": lambda s: {"comment_id": s.comment_to_feature},
    "moderation.unfeature": lambda s: {"comment_id": s.featured_comment},
    "moderation.member": lambda s: {"user_id": s.target_member},
    "moderation.warn": lambda s: {"user_id": s.target_member},
    "moderation.suspend": lambda s: {"user_id": s.target_member},
    "moderation.ban": lambda s: {"user_id": s.target_member},
    "moderation.unban": lambda s: {"user_id": s.target_member},
    "moderation.revoke_verification": lambda s: {"user_id": s.target_member},
    "moderation.staff_level": lambda s: {"user_id": s.target_member},
    "moderation.approve_verification": lambda s: {"request_id": s.verification},
    "moderation.decline_verification": lambda s: {"request_id": s.verification},
    "moderation.grant_appeal": lambda s: {"appeal_id": s.appeal},
    "moderation.deny_appeal": lambda s: {"appeal_id": s.appeal},
    "moderation.delete_word": lambda s: {"word_id": s.banned_word},
    "moderation.lock": lambda s: {"article_id": s.curated_article},
    "moderation.unlock": lambda s: {"article_id": s.curated_article},
    "moderation.premoderate": lambda s: {"article_id": s.curated_article},
    "moderation.stop_premoderating": lambda s: {"article_id": s.curated_article},
    "moderation.close_poll": lambda s: {"poll_id": s.curated_poll},
    "moderation.reopen_poll": lambda s: {"poll_id": s.curated_poll},
    "moderation.retry_mail": lambda s: {"message_id": s.dead_letter},
    "editor.edit_article": lambda s: {"article_id": s.draft},
    "editor.preview_article": lambda s: {"article_id": s.draft},
    "editor.publish_article": lambda s: {"article_id": s.draft_to_publish},
    "editor.unpublish_article": lambda s: {"article_id": s.article_to_unpublish},
    "editor.schedule_article": lambda s: {"article_id": s.draft},
    "editor.edit_author": lambda s: {"author_id": s.author_to_edit},
    "editor.delete_author": lambda s: {"author_id": s.author_to_delete},
    "api.get_article": lambda s: {"slug": s.article_slug},
    "api.article_comments": lambda s: {"slug": s.article_slug},
    "api.poll_detail": lambda s: {"poll_id": s.poll},
    "api.poll_results": lambda s: {"poll_id": s.poll},
    "api.poll_changes": lambda s: {"poll_id": s.poll},
    "api.cast_vote": lambda s: {"poll_id": s.api_poll},
}

# For "owner" routes: the record, either the actor's own or somebody else's (`Things` below).
OWNED_ARGS = {
    "comments.edit": lambda t: {"comment_id": t.comment_to_edit},
    "comments.delete": lambda t: {"comment_id": t.comment_to_delete},
    "safety.appeal": lambda t: {"comment_id": t.removed_comment},
    "notifications.read": lambda t: {"notification_id": t.notification},
}

# What the writes that restricted members are refused send: real, valid input, so that the
# only reason left to refuse it is the account's restriction.
FORM_DATA = {
    "comments.create": lambda s: {"body": "Boundaries protect both sides of the room."},
    "comments.reply": lambda s: {"body": "I had not thought of the friends of friends."},
    "comments.helpful": lambda s: {"marked": "1"},
    "safety.report": lambda s: {"reason": "off-topic"},
    "polls.vote": lambda s: {"option_ids": [str(s.poll_option)], "role": "client"},
    "embed.vote": lambda s: {
        "form_token": ballots.form_token(s.poll),
        "option_ids": [str(s.poll_option)],
        "role": "client",
    },
}
JSON_DATA = {
    "api.cast_vote": lambda s: {"option_ids": [s.api_poll_option], "role": "client"},
}
RESTRICTED_MESSAGES = {
    "comments.create": "cannot post comments",
    "comments.reply": "cannot post comments",
    "comments.helpful": "cannot mark comments as helpful",
    "safety.report": "cannot report comments",
    "polls.vote": "so you cannot vote",
    "api.cast_vote": "so you cannot vote",
}


@dataclass(frozen=True)
class Probe:
    endpoint: str
    method: str
    url: str
    whose: str  # "own" or "theirs" for owner routes, "" elsewhere
    form: dict | None = None
    json: dict | None = None

    def __str__(self):
        whose = f" ({self.whose} record)" if self.whose else ""
        return f"{self.method} {self.url} [{self.endpoint}, {ACCESS[self.endpoint]}]{whose}"


# --- the seeded site -------------------------------------------------------------------------


def _comment(article, author, body, **fields):
    comment = make_comment(article, author, body, **fields)
    comment.root_id = comment.id
    db.session.commit()
    return comment.id


def _things_of(user, article) -> SimpleNamespace:
    """A member's own records that owner routes act on, one per destructive route."""
    removed = _comment(
        article,
        user,
        "Something that broke a rule.",
        status=CommentStatus.REMOVED,
        removal_reason="Off-topic",
    )
    notification = Notification(
        recipient_id=user.id, kind=NotificationKind.ACCOUNT, message="Welcome to the discussion."
    )
    db.session.add(notification)
    db.session.commit()
    return SimpleNamespace(
        comment_to_edit=_comment(article, user, "A first thought, still editable."),
        comment_to_delete=_comment(article, user, "A thought I will take back."),
        removed_comment=removed,
        notification=notification.id,
    )


def _make_actor(actor):
    if actor == "anonymous":
        return None
    if actor == "suspended":
        return make_user(
            USERNAMES[actor],
            account_status=AccountStatus.SUSPENDED,
            suspended_until=utcnow() + timedelta(days=7),
            status_reason="Personal attacks on other members.",
        )
    return make_user(USERNAMES[actor], staff="member" if actor == "member" else actor)


def seed_site(actor) -> SimpleNamespace:
    """One of everything a route can act on, and the actor's own account and records."""
    user = _make_actor(actor)
    olga = make_user("olga_other", role="client")
    target = make_user("tess_target", role="professional", discipline="counselor", verified=True)
    pria = make_user("pria_pro", role="professional", discipline="psychologist")
    author = make_author(slug="riverside")
    article = make_article(
        "Would you friend your therapist?",
        slug="friend-your-therapist",
        author=author,
        poll_question="Would you?",
        allow_anonymous=True,
    )
    article.tags.append(Tag(name="Social media", slug="social-media"))
    set_embed_origins(article, ["https://partner.example.org"])
    api_article = make_article(
        slug="api-poll",
        author=author,
        poll_question="Google your therapist?",
        allow_anonymous=True,
    )
    curated = make_article(slug="curated", author=author, poll_question="Hug your therapist?")

    removed_and_appealed = _comment(
        article, olga, "Off-topic rant.", status=CommentStatus.REMOVED, removal_reason="Off-topic"
    )
    request = VerificationRequest(
        user_id=pria.id,
        licence_type="Psychologist",
        licence_number="PSY 1234",
        jurisdiction="Oregon",
    )
    pria.verification_status = VerificationStatus.PENDING
    appeal = Appeal(comment_id=removed_and_appealed, user_id=olga.id, text="It was on topic.")
    word = BannedWord(word="cheap pills")
    dead_letter = OutboxMessage(
        key="matrix-dead-letter",
        recipient="olga@example.org",
        subject="Reset your password",
        body="A link.",
        status=OutboxStatus.DEAD,
        attempts=6,
        last_error="OSError: connection refused",
    )
    db.session.add_all([request, appeal, word, dead_letter])
    db.session.commit()

    theirs = _things_of(olga, article)
    return SimpleNamespace(
        article_slug=article.slug,
        author_slug=author.slug,
        tag_slug="social-media",
        poll=article.poll.id,
        poll_option=article.poll.options[0].id,
        api_poll=api_article.poll.id,
        api_poll_option=api_article.poll.options[0].id,
        curated_article=curated.id,
        curated_poll=curated.poll.id,
        their_comment=_comment(article, olga, "I keep my therapist out of my feeds."),
        pending_comment=_comment(
            article,
            olga,
            "Held back.",
            status=CommentStatus.PENDING,
            pending_reason="a member's first comments are reviewed",
        ),
        comment_to_remove=_comment(article, olga, "A borderline remark."),
        removed_comment=_comment(
            article,
            olga,
            "Removed earlier.",
            status=CommentStatus.REMOVED,
            removal_reason="Spam or advertising",
        ),
        comment_to_feature=_comment(article, olga, "A generous, careful answer."),
        featured_comment=_comment(article, olga, "Already featured.", featured=True),
        target_member=target.id,
        verification=request.id,
        appeal=appeal.id,
        banned_word=word.id,
        dead_letter=dead_letter.id,
        draft=make_article(slug="draft", author=author, status=ArticleStatus.DRAFT).id,
        draft_to_publish=make_article(slug="ready", author=author, status=ArticleStatus.DRAFT).id,
        article_to_unpublish=make_article(slug="withdrawn", author=author).id,
        author_to_edit=make_author("Lakeside Therapy", slug="lakeside").id,
        author_to_delete=make_author("Old Byline", slug="old-byline").id,
        mine=_things_of(user, article) if user else None,
        theirs=theirs,
    )


# --- building and sending the requests -------------------------------------------------------


LOGS_OUT = {"accounts.logout", "accounts.log_out_everywhere"}


def _methods(rule):
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def planned_probes(app, site) -> list[Probe]:
    adapter = app.url_map.bind("localhost")
    probes = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        endpoint = rule.endpoint
        if endpoint in OWNED_ARGS:
            owners = {"own": site.mine, "theirs": site.theirs}
            targets = [(whose, OWNED_ARGS[endpoint](t)) for whose, t in owners.items() if t]
        else:
            targets = [("", ARGS.get(endpoint, lambda s: {})(site))]
        for whose, values in targets:
            url = adapter.build(endpoint, values)
            for method in _methods(rule):
                form = FORM_DATA[endpoint](site) if endpoint in FORM_DATA else None
                body = JSON_DATA[endpoint](site) if endpoint in JSON_DATA else None
                probes.append(Probe(endpoint, method, url, whose, form, body))
    # Logging out ends the actor's session, so it goes last.
    return sorted(probes, key=lambda p: (p.endpoint in LOGS_OUT, p.endpoint, p.method))


def send(client, token, probe: Probe):
    if probe.method == "GET":
        return client.get(probe.url)
    if probe.json is not None:
        return client.open(
            probe.url, method=probe.method, json=probe.json, headers={"X-CSRFToken": token}
        )
    data = {"csrf_token": token, **(probe.form or {})}
    return client.open(probe.url, method=probe.method, data=data)


def start_session(client, actor) -> str:
    """Log the actor in through the login form; answer the session's CSRF token."""
    if actor != "anonymous":
        response = FormClient(client).login(USERNAMES[actor])
        assert response.status_code == 302, f"{actor} could not log in"
    return form_token(client, client.get("/").get_data(as_text=True))


# --- what each rule expects ------------------------------------------------------------------


def expectation(rule, actor, probe: Probe) -> str:
    """One of: allowed, login, forbidden, hidden, restricted."""
    if rule == "operator":
        return "hidden"
    if actor == "anonymous":
        anonymous_may = rule in {"public", "api-public", "vote", "api-vote", "embed-vote"}
        return "allowed" if anonymous_may else "login"
    if rule in {"owner", "owner-hidden"} and probe.whose == "theirs":
        return "forbidden" if rule == "owner" else "hidden"
    if rule in STAFF_RULES:
        return "allowed" if STAFF_RANK[actor] >= STAFF_RULES[rule] else "forbidden"
    if actor == "suspended" and probe.endpoint in RESTRICTED_MESSAGES and probe.method == "POST":
        return "restricted"
    return "allowed"


def is_login_redirect(response) -> bool:
    location = response.headers.get("Location", "")
    return response.status_code == 302 and urlsplit(location).path == "/account/login"


def write_counts() -> tuple:
    """Every record a comment, vote, report or helpful mark would add or change."""
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count(Comment.id))),
        db.session.scalar(select(func.count(Vote.id))),
        db.session.scalar(select(func.count(Report.id))),
        db.session.scalar(select(func.count(HelpfulMark.id))),
        db.session.scalar(select(func.coalesce(func.sum(Comment.helpful_count), 0))),
        db.session.scalar(select(func.coalesce(func.sum(Comment.report_count), 0))),
    )


def refusal_text(client, response) -> str:
    """What the member reads after the refused request (a redirect is followed once)."""
    if response.status_code == 302:
        return client.get(response.headers["Location"]).get_data(as_text=True)
    return response.get_data(as_text=True)


def check(client, token, actor, probe: Probe) -> str | None:
    """Send the probe; answer a description of what went wrong, or None."""
    expected = expectation(ACCESS[probe.endpoint], actor, probe)
    writes = probe.method == "POST" and probe.endpoint in RESTRICTED_MESSAGES
    before = write_counts() if writes else None
    response = send(client, token, probe)
    status = response.status_code
    if status >= 500:
        return f"{probe}: {status}"
    if expected == "login":
        ok = is_login_redirect(response)
    elif expected == "forbidden":
        ok = status == 403
    elif expected == "hidden":
        ok = status == 404
    elif expected == "restricted":
        ok = (
            RESTRICTED_MESSAGES[probe.endpoint] in refusal_text(client, response).lower()
            and write_counts() == before
            and (probe.json is None or status == 403)
        )
    else:
        ok = status not in (401, 403, 404) and not is_login_redirect(response)
        if ok and writes:
            ok = write_counts() != before
    return None if ok else f"{probe}: got {status}, expected {expected}"


# --- the tests -------------------------------------------------------------------------------


def test_every_route_of_the_site_has_a_rule_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - {"static"}
    assert sorted(endpoints - ACCESS.keys()) == [], "routes missing from ACCESS"
    assert sorted(ACCESS.keys() - endpoints) == [], "ACCESS names routes that no longer exist"
    assert set(ACCESS.values()) <= RULES.keys()
    for rule in app.url_map.iter_rules():
        if rule.arguments and rule.endpoint != "static":
            assert rule.endpoint in ARGS or rule.endpoint in OWNED_ARGS, rule.endpoint


@pytest.mark.parametrize("actor", ACTORS)
def test_every_route_answers_each_actor_as_the_table_says(app, client, actor):
    site = seed_site(actor)
    token = start_session(client, actor)
    probes = planned_probes(app, site)
    problems = [problem for probe in probes if (problem := check(client, token, actor, probe))]
    assert problems == [], f"{actor}:\n" + "\n".join(problems)

    if STAFF_RANK[actor] == 0:
        assert db.session.scalar(select(func.count(ModerationAction.id))) == 0
    others_unread = db.session.get(Notification, site.theirs.notification)
    assert others_unread.read_at is None, "marking all as read reached someone else's inbox"


def test_a_moderator_cannot_verify_their_own_credentials(forms, client, make_user):
    moe = make_user("moe_pro", staff="moderator", role="professional", discipline="counselor")
    forms.login("moe_pro")
    forms.submit(
        "/account/verification",
        {"licence_type": "LMHC", "licence_number": "MH 42", "jurisdiction": "Oregon"},
    )
    request = db.session.scalar(
        select(VerificationRequest).where(VerificationRequest.user_id == moe.id)
    )
    assert request is not None and request.status is VerificationStatus.PENDING

    forms.submit("/moderation/verifications", {}, f"/moderation/verifications/{request.id}/approve")

    db.session.expire_all()
    assert db.session.get(VerificationRequest, request.id).status is VerificationStatus.PENDING
    assert not db.session.get(User, moe.id).is_verified_professional


def test_a_moderator_cannot_reverse_the_removal_of_their_own_comment(
    forms, make_user, make_article
):
    article = make_article()
    moe = make_user("moe_author", staff="moderator")
    removed = make_comment(
        article, moe, "Too harsh.", status=CommentStatus.REMOVED, removal_reason="Off-topic"
    )
    appeal = Appeal(comment_id=removed.id, user_id=moe.id, text="It was fine.")
    db.session.add(appeal)
    db.session.commit()
    forms.login("moe_author")

    forms.submit("/moderation/appeals", {}, f"/moderation/appeals/{appeal.id}/grant")
    forms.submit("/moderation/queue/removed", {}, f"/moderation/comments/{removed.id}/restore")

    db.session.expire_all()
    assert db.session.get(Comment, removed.id).status is CommentStatus.REMOVED
    assert db.session.get(Appeal, appeal.id).status is AppealStatus.PENDING


def test_comments_on_unpublished_articles_cannot_be_reached_through_the_report_form(
    forms, client, make_user, make_article
):
    article = make_article(status=ArticleStatus.DRAFT)
    comment = make_comment(article, make_user("writer"), "Written before the article was pulled.")
    make_user("reader")
    forms.login("reader")

    page = client.get(f"/comments/{comment.id}/report")

    assert page.status_code == 404
    assert "Written before the article was pulled" not in page.get_data(as_text=True)
