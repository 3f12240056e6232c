"""The discussion and the poll speak the reader's language: the article page's comments, its
poll, the comment pages, what readers are refused, and the e-mails of notices and digests,
written in their recipient's language."""

import html
import re

import pytest

from app import transaction
from app.extensions import db
from app.models import Follow, MailFrequency, MailTopic
from app.services.discussion import digests
from app.services.discussion.follows import notify_followers
from app.services.discussion.notifications import notify_reply
from tests.factories import make_comment

SPANISH = {"Accept-Language": "es"}
SITE = "https://boundaries.example.org"


@pytest.fixture
def article(make_article):
    return make_article(
        title="Would you friend your therapist?",
        slug="friend",
        poll_question="Would you accept?",
        allow_anonymous=True,
    )


@pytest.fixture
def robin(make_user):
    return make_user("robin", role="client", show_role_badge=True, email="robin@example.org")


@pytest.fixture
def sam(make_user):
    return make_user("sam", role="professional", show_role_badge=True, approved_comment_count=10)


def text_of(response, source: str | None = None) -> str:
    """The page's text (or that of a part of it) as a reader sees it, without tags."""
    source = response.get_data(as_text=True) if source is None else source
    text = html.unescape(re.sub(r"<[^>]+>", "", source))
    return re.sub(r"\s+", " ", text)


def poll_and_discussion(response) -> str:
    """The text of the article page from its poll to the end of its discussion (the rest of
    the page, header and footer, is not the discussion's to translate)."""
    source = response.get_data(as_text=True)
    start = source.index('<section class="poll card"')
    end = source.index("</section>", source.index('<section class="discussion"'))
    return text_of(response, source[start:end])


def in_spanish(client, path, **kwargs):
    response = client.get(path, headers=SPANISH, **kwargs)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    return response


def test_an_article_s_discussion_and_poll_read_in_spanish(client, article, robin, sam):
    first = make_comment(article, robin, "I would never add my therapist.")
    make_comment(article, sam, "It depends on the setting.", parent=first)

    response = in_spanish(client, "/articles/friend")
    page = poll_and_discussion(response)

    for spanish in (
        "Conversación",
        "2 comentarios",
        "Inicia sesión o crea una cuenta para unirte a la conversación.",
        "Más antiguos primero",
        "Terreno común",
        "Cualquier respuesta",
        "Útil (0)",
        "Encuesta",
        "Elige una respuesta",
        "¿Qué te describe?",
        "Soy profesional y ayudo a clientes",
        "Tu respuesta se cuenta dentro de este grupo; nadie ve quién eres.",
        "Cliente",
    ):
        assert spanish in page, spanish
    for english in (
        "Discussion",
        "to join the discussion",
        "Oldest first",
        "Any answer",
        "Helpful (",
        "Choose one answer",
        "Which describes you?",
        "Your answer is counted",
        "Filters only use what authors chose to show",
    ):
        assert english not in page, english
    filtered = poll_and_discussion(in_spanish(client, "/articles/friend?role=professionals"))
    assert "En respuesta a robin" in filtered and "Mostrar toda la conversación" in filtered
    assert "In reply to" not in filtered and "Show the whole discussion" not in filtered
    # The script's live notice says it in Spanish too, from the page.
    source = response.get_data(as_text=True)
    assert 'data-live-one="1 comentario nuevo — mostrar"' in source
    assert 'data-live-many="{n} comentarios nuevos — mostrar"' in source
    assert 'data-counted-text="Gracias: hemos contado tu voto."' in source


def test_english_stays_the_language_of_readers_who_ask_for_nothing_else(client, article, robin):
    make_comment(article, robin, "I would never add my therapist.")

    page = poll_and_discussion(client.get("/articles/friend"))

    assert "Discussion" in page and "1 comment" in page and "Helpful (0)" in page
    assert "Conversación" not in page and "Encuesta" not in page


def test_a_member_writes_and_is_answered_in_spanish(client, forms, article, sam):
    client.set_cookie("language", "es")
    forms.login("sam")

    empty = forms.submit("/articles/friend", {"body": "  "}, "/articles/friend/comments")
    assert empty.status_code == 422
    page = text_of(empty)
    assert "Comentar «Would you friend your therapist?»" in page
    assert "Escribe algo antes de publicar." in page
    assert "Write something" not in page

    posted = forms.submit(
        "/articles/friend",
        {"body": "Depends on the setting."},
        "/articles/friend/comments",
        follow_redirects=True,
    )
    page = text_of(posted)
    assert "Tu comentario está publicado." in page
    assert "Editar" in page and "Eliminar" in page
    assert "Your comment is posted" not in page


def test_a_refused_vote_is_explained_in_spanish(client, forms, article):
    client.set_cookie("language", "es")
    option = article.poll.options[0].id

    refused = forms.submit(
        "/articles/friend",
        {"option_ids": option},
        f"/polls/{article.poll.id}/vote",
        follow_redirects=True,
    )

    page = text_of(refused)
    assert "Antes de votar, dinos si eres cliente, profesional o ninguno de los dos." in page
    assert "Tell us whether" not in page


def test_the_comment_pages_and_common_ground_read_in_spanish(client, forms, article, robin, sam):
    first = make_comment(article, robin, "I would never add my therapist.")
    reply = make_comment(article, sam, "It depends.", parent=first)

    thread = text_of(in_spanish(client, f"/comments/{reply.id}"))
    assert "Un comentario en su contexto" in thread and "Antes en este hilo" in thread
    assert "A comment in context" not in thread

    explained = text_of(in_spanish(client, "/common-ground"))
    assert "Cómo funciona el terreno común" in explained
    assert "Útil para clientes y profesionales" in explained
    assert "su intervalo del 95 %" in explained
    assert "How common ground works" not in explained
    assert "Found helpful by clients and professionals" not in explained

    client.set_cookie("language", "es")
    forms.login("robin")
    delete = text_of(client.get(f"/comments/{first.id}/delete"))
    assert "¿Eliminar tu comentario?" in delete and "Conservarlo" in delete
    assert "Keep it" not in delete


def test_notice_e_mails_are_written_in_their_recipient_s_language(
    app, make_user, article, sent_mail
):
    app.config["BASE_URL"] = SITE
    ana = make_user("ana", email="ana@example.org", language="es")
    lee = make_user("lee", email="lee@example.org")
    sam = make_user("sam")
    for member in (ana, lee):
        member.reply_emails = MailFrequency.IMMEDIATELY
    to_ana = make_comment(article, ana, "Nunca agregaría a mi terapeuta.")
    to_lee = make_comment(article, lee, "I would never add my therapist.")
    transaction.commit()

    for parent in (to_ana, to_lee):
        notify_reply(make_comment(article, sam, "Why not?", parent=parent))
    transaction.commit()

    mails = {to: (subject, body) for to, subject, body, _ in sent_mail}
    subject, body = mails["ana@example.org"]
    assert subject == "sam respondió a tu comentario en Boundaries"
    assert body.startswith("Hola, ana:")
    assert "sam respondió a tu comentario en «Would you friend your therapist?»:" in body
    assert "Dejar de recibir estos correos (sin iniciar sesión):" in body
    assert "Stop these e-mails" not in body
    subject, body = mails["lee@example.org"]
    assert subject == "sam replied to your comment on Boundaries"
    assert body.startswith("Hello lee,")


def test_a_digest_is_written_in_its_recipient_s_language(app, make_user, article, sent_mail):
    app.config["BASE_URL"] = SITE
    ana = make_user(
        "ana",
        email="ana@example.org",
        language="es",
        reply_emails=MailFrequency.DAILY,
        follow_emails=MailFrequency.DAILY,
    )
    sam = make_user("sam")
    db.session.add(Follow(user_id=ana.id, article_id=article.id))
    mine = make_comment(article, ana, "Nunca.")
    transaction.commit()
    for comment in (
        make_comment(article, sam, "Why not?", parent=mine),
        make_comment(article, sam, "Friends of friends would see it."),
        make_comment(article, sam, "And colleagues."),
    ):
        notify_reply(comment)
        notify_followers(comment)
    transaction.commit()

    digests.queue_digests(MailFrequency.DAILY)
    transaction.commit()

    [(to, subject, body, _)] = sent_mail
    assert to == "ana@example.org"
    assert subject == "Tu resumen diario de Boundaries: 1 respuesta y 2 comentarios nuevos"
    assert "Respuestas a tus comentarios (1)" in body
    assert "Comentarios nuevos en artículos que sigues (2)" in body
    assert "Recibes este resumen diario por tus ajustes de correo" in body
    assert "Dejar de recibir correos sobre respuestas a tus comentarios" in body
    assert MailTopic.REPLIES.label not in body and "Hello" not in body


def test_a_spanish_member_in_crisis_is_shown_lines_that_serve_spanish_speakers(
    forms, make_user, article
):
    make_user("lucia", role="client", language="es")
    forms.login("lucia")

    page = forms.submit(
        "/articles/friend",
        {"body": "Desde que terminó la terapia a veces pienso en quitarme la vida."},
        action_url="/articles/friend/comments",
        follow_redirects=True,
    )
    panel = text_of(page, page.get_data(as_text=True).split('class="notice crisis-panel"')[1])

    assert "No estás solo ni sola" in panel
    assert "024" in panel and "Línea de la Vida" in panel and "800 911 2000" in panel
    assert "marca 2" in panel and "findahelpline.com" in panel
    assert "Samaritans" not in panel and "If you are in immediate danger" not in panel


def test_an_english_reader_in_crisis_keeps_the_english_lines(forms, make_user, article):
    make_user("robin_en", role="client")
    forms.login("robin_en")

    page = forms.submit(
        "/articles/friend",
        {"body": "Some nights I want to die."},
        action_url="/articles/friend/comments",
        follow_redirects=True,
    )
    panel = text_of(page, page.get_data(as_text=True).split('class="notice crisis-panel"')[1])

    assert "call or text 988" in panel and "Samaritans on 116 123" in panel
    assert "024" not in panel


@pytest.mark.parametrize(
    "app_settings",
    [
        {
            "CRISIS_RESOURCES": ["Call the Example Line on 0800 000 000."],
            "CRISIS_RESOURCES_BY_LANGUAGE": {"es": ["Llama a la Línea Ejemplo: 900 000 000."]},
        }
    ],
)
def test_a_deployment_chooses_its_own_lines_for_everyone_or_for_one_language(
    forms, make_user, article
):
    make_user("lucia", role="client", language="es")
    make_user("robin_en", role="client")

    lines = {}
    for name in ("lucia", "robin_en"):
        forms.login(name)
        page = forms.submit(
            "/articles/friend",
            {"body": "Me quiero suicidar. I want to die."},
            action_url="/articles/friend/comments",
            follow_redirects=True,
        )
        lines[name] = text_of(page, page.get_data(as_text=True).split("crisis-panel")[1])
        forms.logout()

    assert "Línea Ejemplo: 900 000 000" in lines["lucia"] and "0800" not in lines["lucia"]
    assert "Example Line on 0800 000 000" in lines["robin_en"] and "988" not in lines["robin_en"]
