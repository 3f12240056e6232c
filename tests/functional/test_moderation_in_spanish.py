"""What moderation keeps in English codes (removal rules, why a comment waits, report reasons,
audit-log actions) reaches Spanish readers in Spanish; what a moderator typed stays as typed."""

import re
from datetime import UTC, datetime

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from app import transaction
from app.extensions import db
from app.models import BannedWord, CommentStatus, Notification, ReportReason
from app.services.moderation import reports, review, sanctions
from app.services.moderation.premoderation import premoderation_reasons
from app.services.moderation.wording import SITE_REASONS, pending_reason_text
from tests.factories import make_comment


def text_of(client, path) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


@pytest.fixture
def maya(make_user):
    return make_user("mod_maya", staff="moderator", language="es")


@pytest.fixture
def lucia(make_user):
    return make_user("lucia", role="client", language="es")


def test_removal_rules_read_in_spanish_with_the_moderator_s_note_as_typed(
    client, forms, maya, lucia, make_article
):
    article = make_article()
    comment = make_comment(article, lucia, "Hablemos de fútbol.")
    review.remove(comment, maya, "Off-topic: ni una palabra sobre ética")
    transaction.commit()

    forms.login("mod_maya")
    queue = text_of(client, "/moderation/queue/removed")
    log = text_of(client, "/moderation/log")
    forms.logout()
    forms.login("lucia")
    own = text_of(client, f"/comments/{comment.id}")
    appeal = text_of(client, f"/comments/{comment.id}/appeal")

    assert "Eliminado por: Fuera de tema: ni una palabra sobre ética" in queue
    assert "comentario eliminado" in log and "Fuera de tema: ni una palabra sobre ética" in log
    assert "por esta norma: Fuera de tema: ni una palabra sobre ética" in own
    assert "Fuera de tema: ni una palabra sobre ética" in appeal
    for page in (queue, log, own, appeal):
        assert "Off-topic" not in page
    notice = db.session.scalar(
        select(Notification.message).where(Notification.recipient_id == lucia.id)
    )
    assert notice == (
        "Un moderador eliminó tu comentario: Fuera de tema: ni una palabra sobre ética. "
        "Puedes apelar una vez."
    )


def test_the_audit_log_names_actions_targets_and_details_in_spanish(
    client, forms, maya, lucia, make_user
):
    until = datetime(datetime.now(UTC).year + 1, 3, 12, tzinfo=UTC)
    sanctions.warn(lucia, maya, "Sé amable")
    sanctions.suspend(make_user("rafa"), maya, until, "Insultos repetidos")
    transaction.commit()
    forms.login("mod_maya")

    log = text_of(client, "/moderation/log")
    member = text_of(client, f"/moderation/members/{lucia.id}")

    assert "miembro advertido" in log and "miembro suspendido" in log
    assert f"hasta el 12 de marzo de {until.year}" in log and "Sé amable" in log
    assert re.search(r"\d{1,2} de \w+ de \d{4}, \d{2}:\d{2} UTC", log)
    assert ">warn<" not in log and ">suspend<" not in log and "until" not in log
    assert '<option value="warn">miembro advertido</option>' in client.get(
        "/moderation/log"
    ).get_data(as_text=True)
    assert "miembro advertido por mod_maya: Sé amable" in member


def test_report_reasons_and_reasons_to_wait_read_in_spanish(
    client, forms, maya, lucia, make_user, make_article
):
    article = make_article()
    reported = make_comment(article, make_user("writer"), "Eres un idiota.")
    reports.report_comment(reported, lucia, ReportReason.HARASSMENT, "")
    make_comment(
        article,
        make_user("nuevo"),
        "Hola a todos.",
        status=CommentStatus.PENDING,
        pending_reason="edited: a member's first comments are reviewed; may reveal someone's "
        "identity",
    )
    transaction.commit()
    forms.login("lucia")
    report_form = text_of(client, f"/comments/{reported.id}/report")
    forms.logout()
    forms.login("mod_maya")

    reported_queue = text_of(client, "/moderation/queue/reported")
    pending_queue = text_of(client, "/moderation/queue/pending")

    assert "Acoso o abuso" in report_form and "Spam" in report_form
    assert "Harassment or abuse" not in report_form
    assert "Acoso o abuso — lucia" in reported_queue and "Harassment" not in reported_queue
    assert (
        "En espera porque: editado: se revisan los primeros comentarios de cada miembro; "
        "puede revelar la identidad de alguien" in pending_queue
    )
    assert "reviewed" not in pending_queue


def test_sessions_name_devices_in_spanish(client, forms, lucia):
    client.environ_base["HTTP_USER_AGENT"] = (
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
    )
    forms.login("lucia")

    sessions = text_of(client, "/account/sessions")

    assert "Firefox en Windows" in sessions and "Firefox on Windows" not in sessions


def test_every_reason_a_comment_waits_for_reads_in_spanish(app, make_user, make_article):
    app.config["PREMODERATE_FIRST_COMMENTS"] = 2
    app.config["PREMODERATE_LINKS_UNTIL"] = 5
    db.session.add(BannedWord(word="estafa"))
    author = make_user("nuevo", trust_score=-5)
    article = make_article(premoderated=True)
    text = "Una estafa: escribe a ana@example.org o mira https://example.org"

    reasons = premoderation_reasons(author, article, text)

    assert len(reasons) == 6 and set(reasons) <= set(SITE_REASONS)
    with force_locale("es"):
        spanish = pending_reason_text("; ".join(reasons))
    assert "review" not in spanish and "se revisan todos los comentarios" in spanish
