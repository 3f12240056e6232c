"""Accounts, the inbox, moderation and the editor speak Spanish to those who read it, and
e-mails and notices reach members in their own language, whoever caused them."""

import logging
import re

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Notification, User
from tests.factories import make_comment

SPANISH = {"Accept-Language": "es"}


def page(client, path, headers=None) -> str:
    response = client.get(path, headers=headers or {})
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "spanish", "english"),
    [
        (
            "/account/login",
            ["Iniciar sesión", "¿Has olvidado tu contraseña?", "Nombre de usuario"],
            ["Forgot your password?", "Stay logged in on this device."],
        ),
        (
            "/account/register",
            ["Únete a Boundaries", "Solo para profesionales", "Estoy o he estado en terapia"],
            ["Please do not use your real name.", "Professionals only", "How do you come"],
        ),
        (
            "/account/reset",
            ["Restablecer tu contraseña", "Enviar el enlace"],
            ["We will e-mail a link", "Back to log in"],
        ),
    ],
)
def test_account_pages_speak_spanish_to_a_spanish_browser(client, path, spanish, english):
    text = page(client, path, SPANISH)

    for sentence in spanish:
        assert sentence in text
    for sentence in english:
        assert sentence not in text


def test_a_member_reads_settings_sessions_and_inbox_in_spanish(client, forms, make_user):
    make_user("lucia", role="client", language="es")
    forms.login("lucia")

    settings = page(client, "/account/settings")
    assert "Tus ajustes" in settings and "Guardar ajustes" in settings
    assert "Mostrar mi rol en la comunidad en mis comentarios" in settings
    assert "Your settings" not in settings and "What your comments show" not in settings

    sessions = page(client, "/account/sessions")
    assert "1 sesión activa" in sessions and "Este dispositivo" in sessions
    assert "active session" not in sessions

    inbox = page(client, "/inbox/")
    assert "Bandeja de entrada" in inbox and "Aquí no hay nada todavía." in inbox
    assert "Nothing here yet." not in inbox


def test_form_errors_and_flash_messages_follow_the_language(client, forms, make_user):
    make_user("lucia", language="es")
    client.set_cookie("language", "es")  # chosen in the footer before logging in

    response = forms.submit("/account/login", {"username": "lucia", "password": "wrong one"})
    assert "Nombre de usuario o contraseña incorrectos." in response.get_data(as_text=True)

    response = forms.login("lucia")
    welcome = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Hola de nuevo, lucia." in welcome


def test_the_reset_e_mail_is_written_in_the_member_s_language(forms, make_user, caplog):
    make_user("lucia", email="lucia@example.org", language="es")
    caplog.set_level(logging.INFO)

    response = forms.submit("/account/reset", {"identifier": "lucia"}, follow_redirects=True)

    assert "we have sent it a link" in response.get_data(as_text=True), "the page: English"
    mail = "\n".join(record.getMessage() for record in caplog.records)
    assert "Restablece tu contraseña de Boundaries" in mail
    assert "Hola, lucia:" in mail and "abre este enlace en la próxima hora" in mail
    assert "Reset your Boundaries password" not in mail


def test_a_removal_notice_reaches_the_author_in_their_language(
    client, forms, make_user, make_article
):
    make_user("mod_maya", staff="moderator")
    author = make_user("lucia", language="es")
    comment = make_comment(make_article(), author, "Todos sois idiotas")
    forms.login("mod_maya")

    forms.submit(
        "/moderation/queue/pending",
        {"rule": "Harassment or personal attacks", "note": ""},
        action_url=f"/moderation/comments/{comment.id}/remove",
    )

    message = db.session.scalar(
        select(Notification.message).where(Notification.recipient_id == author.id)
    )
    assert message.startswith("Un moderador eliminó tu comentario:")
    assert "Puedes apelar una vez." in message


def test_moderators_and_editors_work_in_spanish(client, forms, make_user, make_article):
    make_user("mod_maya", staff="editor", language="es")
    author = make_user("writer")
    make_comment(make_article(), author, "Waiting for review", status="pending")
    forms.login("mod_maya")

    queue = page(client, "/moderation/queue/pending")
    assert "Cola de moderación" in queue and "Norma incumplida" in queue
    assert '<option value="Spam or advertising">Spam o publicidad</option>' in queue
    assert "Keyboard:" not in queue and "Rule broken" not in queue

    members = page(client, "/moderation/members")
    assert "Buscar un miembro" in members and "Find a member" not in members

    editor = page(client, "/editor/")
    assert "Todos los artículos, los modificados más recientemente primero" in editor
    assert "Nuevo artículo" in editor and "most recently changed first" not in editor


def test_a_moderator_removes_with_a_spanish_page(client, forms, make_user, make_article):
    make_user("mod_maya", staff="moderator", language="es")
    comment = make_comment(make_article(), make_user("writer"), "You are all idiots")
    forms.login("mod_maya")

    response = forms.submit(
        "/moderation/queue/pending",
        {"rule": "Off-topic", "note": "fuera de lugar"},
        action_url=f"/moderation/comments/{comment.id}/remove",
        follow_redirects=True,
    )

    assert "Comentario eliminado; se ha explicado el motivo a su autor." in response.get_data(
        as_text=True
    )
    db.session.refresh(comment)
    assert comment.removal_reason == "Off-topic: fuera de lugar", "stored in the staff's English"
    message = db.session.scalar(
        select(Notification.message).where(Notification.recipient_id == comment.author_id)
    )
    assert message.startswith("A moderator removed your comment: Off-topic")


def test_a_member_who_joins_in_spanish_is_written_to_in_spanish(client, caplog):
    caplog.set_level(logging.INFO)
    page(client, "/account/register", SPANISH)
    forms_data = {
        "username": "nueva_voz",
        "password": "una frase larga y fácil de recordar",
        "email": "nueva@example.org",
        "community_role": "client",
    }
    token = re.search(
        r'name="csrf_token" type="hidden" value="([^"]+)"', page(client, "/account/register")
    ).group(1)
    response = client.post(
        "/account/register", data={"csrf_token": token, **forms_data}, headers=SPANISH
    )

    assert response.status_code == 302
    member = db.session.scalar(select(User).where(User.username == "nueva_voz"))
    assert member.language == "es"
    mail = "\n".join(record.getMessage() for record in caplog.records)
    assert "Hola, nueva_voz:" in mail
    # Without Spanish in the request, the site still speaks the language they joined in.
    assert 'lang="es"' in page(client, "/account/settings")
