"""A reader whose browser asks for Spanish: the site speaks Spanish from the first page, votes
and comments in Spanish, keeps articles in the language they were written in, and remembers
the language the reader chooses in the footer, then in their settings."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE

PASSWORD = "una frase larga y fácil de recordar"
ENGLISH_TITLE = "Would you friend your therapist on Facebook?"
SPANISH_TITLE = "¿Debería tu terapeuta hablarte de su propia vida?"


@pytest.fixture
def spanish_page(browser, live_server, fresh_page_cache, app):
    context = browser.new_context(base_url=live_server, viewport=PHONE, locale="es-ES")
    page = context.new_page()
    yield page
    context.close()


def header(page):
    return page.get_by_role("navigation", name="Principal")


def test_a_spanish_browser_reads_votes_joins_and_comments_in_spanish(spanish_page, make_article):
    page = spanish_page
    make_article(
        ENGLISH_TITLE,
        poll_question="Would you accept a friend request from your therapist?",
        poll_options=("Yes", "No"),
        allow_anonymous=True,
    )
    make_article(SPANISH_TITLE, language="es", summary="Una pregunta sobre la autorrevelación.")

    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name="Últimos artículos")).to_be_visible()
    expect(page.get_by_role("heading", name=SPANISH_TITLE)).not_to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", name=ENGLISH_TITLE)).to_have_attribute("lang", "en")

    # An English article stays English, inside a page that speaks Spanish.
    page.get_by_role("link", name=ENGLISH_TITLE, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_attribute("lang", "en")
    page.get_by_role("radio", name="No", exact=True).check()
    page.get_by_role("radio", name=re.compile("como cliente")).check()
    page.get_by_role("button", name="Votar").click()
    expect(page.get_by_text("Gracias: hemos contado tu voto.")).to_be_visible()

    header(page).get_by_role("link", name="Unirse").click()
    page.get_by_label("Nombre de usuario").fill("lectora_es")
    page.get_by_label("Contraseña", exact=True).fill(PASSWORD)
    page.get_by_role("radio", name=re.compile("como cliente")).check()
    page.get_by_role("button", name="Crear cuenta").click()
    expect(header(page).get_by_role("link", name="lectora_es")).to_be_visible()

    page.goto("/")
    page.get_by_role("link", name=ENGLISH_TITLE, exact=True).click()
    comment = "Yo nunca aceptaría: prefiero que la terapia sea aparte."
    page.get_by_role("textbox", name="Comentario").fill(comment)
    page.get_by_role("button", name="Publicar comentario").click()
    expect(page.get_by_text("prefiero que la terapia sea aparte")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "es")


def test_the_footer_choice_is_remembered_and_a_members_choice_follows_them(
    spanish_page, browser, live_server, make_user
):
    page = spanish_page
    make_user("lectora_es", password=PASSWORD, role="client")

    page.goto("/articles")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_label("Idioma").select_option("en")
    page.get_by_role("button", name="Cambiar").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    # Logged in, the choice becomes the member's setting, which any browser then follows.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("lectora_es")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_label("Language").select_option("es")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")

    elsewhere = browser.new_context(base_url=live_server, viewport=PHONE, locale="en-US")
    other = elsewhere.new_page()
    other.goto("/account/login")
    expect(other.locator("html")).to_have_attribute("lang", "en")
    other.get_by_label("Username").fill("lectora_es")
    other.get_by_label("Password").fill(PASSWORD)
    other.get_by_role("button", name="Log in").click()
    other.goto("/insights/")
    expect(other.locator("html")).to_have_attribute("lang", "es")
    expect(header(other).get_by_role("link", name="Análisis")).to_be_visible()
    elsewhere.close()
