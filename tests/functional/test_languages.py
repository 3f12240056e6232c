"""The site speaks the reader's language: their setting, the footer's choice, their browser."""

import re

from sqlalchemy import select

from app.extensions import db
from app.models import User

HTML_LANG = re.compile(r'<html lang="([a-z]+)"')


def language_of(response) -> str:
    return HTML_LANG.search(response.get_data(as_text=True)).group(1)


def test_the_browser_language_chooses_among_those_the_site_speaks(client):
    assert language_of(client.get("/")) == "en"
    assert language_of(client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9"})) == "es"
    assert language_of(client.get("/", headers={"Accept-Language": "fr, es;q=0.5"})) == "es"
    assert language_of(client.get("/", headers={"Accept-Language": "de"})) == "en"


def test_the_footer_offers_each_language_in_its_own_name(client):
    page = client.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)

    assert '<label for="footer-language">Idioma</label>' in page
    assert '<option value="en" lang="en">English</option>' in page
    assert '<option value="es" lang="es" selected>Español</option>' in page


def test_anonymous_pages_are_kept_once_per_language(client):
    english = client.get("/articles")
    spanish = client.get("/articles", headers={"Accept-Language": "es"})
    again = client.get("/articles", headers={"Accept-Language": "es"})

    assert language_of(english) == "en" and language_of(spanish) == "es"
    assert spanish.headers["ETag"] != english.headers["ETag"]
    assert again.headers["ETag"] == spanish.headers["ETag"]
    assert "Accept-Language" in spanish.headers["Vary"]
    assert "Set-Cookie" not in spanish.headers


def test_a_reader_chooses_a_language_in_the_footer(client, forms):
    response = forms.submit("/articles", {"language": "es"}, "/account/language?next=/articles")

    assert response.status_code == 302 and response.headers["Location"] == "/articles"
    assert "language=es" in response.headers["Set-Cookie"]
    assert language_of(client.get("/articles", headers={"Accept-Language": "en"})) == "es"


def test_a_member_s_choice_is_kept_with_their_account(client, forms, make_user):
    make_user("robin", role="client")
    forms.login("robin")

    forms.submit("/", {"language": "es"}, "/account/language")
    client.delete_cookie("language")

    assert db.session.scalar(select(User.language).where(User.username == "robin")) == "es"
    assert language_of(client.get("/", headers={"Accept-Language": "en"})) == "es"


def test_a_language_the_site_does_not_speak_is_refused_with_a_message(client, forms):
    response = forms.submit("/", {"language": "xx"}, "/account/language", follow_redirects=True)

    assert response.status_code == 200
    assert "Choose one of the languages offered." in response.get_data(as_text=True)
    assert language_of(client.get("/")) == "en"


def test_the_way_back_stays_on_this_site(forms):
    response = forms.submit("/", {"language": "es"}, "/account/language?next=//evil.example/")

    assert response.headers["Location"] == "/"
