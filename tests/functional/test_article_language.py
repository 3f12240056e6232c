"""An article stays in the language it was written in, whatever language the reader uses the
site in, and says which: pages mark its texts with `lang` (and `dir` for right-to-left
scripts) so that browsers and screen readers read them as written."""

import re
import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Article, User
from tests.factories import make_author, make_comment

SPANISH = {"Accept-Language": "es"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def editor(make_user, forms):
    user = make_user("editor1", staff="editor")
    forms.login("editor1")
    return user


def article_form(author, **overrides):
    return {
        "title": "¿Aceptarías la amistad de tu terapeuta?",
        "slug": "",
        "summary": "Dos principios se encuentran en las redes sociales.",
        "body": "Una consejera se lo pregunta.\n\n¿Tú qué piensas?",
        "author": str(author.id),
        "tags": "",
        "poll_question": "",
        "poll_options": "",
        "poll_results": "always",
    } | overrides


def page(client, url, **kwargs):
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def selected_language(html):
    option = re.search(r"<option[^>]*\bselected[^>]*>", select_block(html)).group(0)
    return re.search(r'value="([a-z]+)"', option).group(1)


def select_block(html):
    return re.search(r'<select[^>]*name="language".*?</select>', html, re.S).group(0)


def test_an_editor_declares_the_language_of_an_article(editor, forms, client):
    author = make_author("Ana Ruiz")
    response = forms.submit("/editor/articles/new", article_form(author, language="es"))

    assert response.status_code == 302
    article = db.session.scalar(select(Article))
    assert article.language == "es"
    edit = page(client, f"/editor/articles/{article.id}/edit")
    assert selected_language(edit) == "es"


def test_the_language_list_names_each_language_in_its_own_name_and_the_readers(editor, client):
    english = select_block(page(client, "/editor/articles/new"))
    spanish = select_block(page(client, "/editor/articles/new", headers=SPANISH))

    assert '<label for="language">Language of the article</label>' in page(
        client, "/editor/articles/new"
    )
    assert ">Français (French)<" in english and ">Español (Spanish)<" in english
    assert ">Français (francés)<" in spanish and ">English (inglés)<" in spanish
    # A new article starts in the language its editor reads the site in.
    assert selected_language(english) == "en"
    assert selected_language(spanish) == "es"


def test_a_language_the_site_does_not_know_is_refused_next_to_the_field(editor, forms):
    author = make_author("Ana Ruiz")
    response = forms.submit("/editor/articles/new", article_form(author, language="xx"))

    assert response.status_code == 200
    assert 'id="language-error"' in response.get_data(as_text=True)
    assert db.session.scalar(select(Article)) is None


def test_an_edit_that_does_not_name_a_language_keeps_it(editor, forms, make_article):
    author = make_author("Ana Ruiz")
    article = make_article(author=author, language="es")
    form = article_form(author, title=article.title, slug=article.slug)

    response = forms.submit(f"/editor/articles/{article.id}/edit", form)

    assert response.status_code == 302
    db.session.refresh(article)
    assert article.language == "es"


def test_an_article_in_another_language_is_marked_as_such(client, make_article):
    article = make_article(
        "¿Aceptarías la amistad de tu terapeuta?",
        language="es",
        poll_question="¿La aceptarías?",
        poll_options=("Sí", "No"),
        allow_anonymous=True,
    )
    html = page(client, f"/articles/{article.slug}")

    assert '<html lang="en"' in html
    assert '<h1 id="article-title" lang="es">' in html
    assert '<div class="article-body prose" lang="es">' in html
    assert 'class="poll-question" tabindex="-1" lang="es">¿La aceptarías?</h2>' in html
    assert '<div class="choice" lang="es">' in html
    # The page's own words stay in the reader's language, unmarked.
    assert "Poll" in html and 'lang="es">Poll' not in html

    teaser = page(client, "/")
    assert 'class="teaser-title" lang="es"' in teaser
    assert '<p class="teaser-summary" lang="es">' in teaser


def test_no_mark_where_the_reader_reads_the_articles_language(client, make_article):
    article = make_article("Would you friend your therapist?")
    english = page(client, f"/articles/{article.slug}")
    spanish = page(client, f"/articles/{article.slug}", headers=SPANISH)

    assert '<h1 id="article-title">' in english
    # A Spanish reader gets the English article as written, marked as English.
    assert '<html lang="es"' in spanish
    assert '<h1 id="article-title" lang="en">Would you friend your therapist?</h1>' in spanish


def test_a_right_to_left_article_runs_right_to_left(client, make_article):
    article = make_article("هل تقبل صداقة معالجك؟", language="ar")
    html = page(client, f"/articles/{article.slug}")

    assert '<h1 id="article-title" lang="ar" dir="rtl">' in html


def test_the_api_and_the_feed_give_each_articles_language(client, make_article):
    make_article("Would you friend your therapist?")
    make_article("¿Aceptarías la amistad de tu terapeuta?", language="es")

    items = client.get("/api/v1/articles").get_json()["items"]
    assert {item["title"]: item["language"] for item in items} == {
        "Would you friend your therapist?": "en",
        "¿Aceptarías la amistad de tu terapeuta?": "es",
    }
    feed = ET.fromstring(client.get("/feed.atom").data)
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert {
        entry.findtext("{http://www.w3.org/2005/Atom}title"): entry.get(XML_LANG)
        for entry in entries
    } == {"Would you friend your therapist?": "en", "¿Aceptarías la amistad de tu terapeuta?": "es"}


def test_import_article_takes_the_language_of_the_file(app, tmp_path):
    path = tmp_path / "amistad.md"
    path.write_text(
        "# ¿Aceptarías la amistad de tu terapeuta?\n\nUna consejera se lo pregunta.\n",
        encoding="utf-8",
    )
    runner = app.test_cli_runner()

    result = runner.invoke(args=["import-article", str(path), "--language", "es"])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Article.language)) == "es"

    refused = runner.invoke(args=["import-article", str(path), "--update", "--language", "xx"])
    assert refused.exit_code == 2 and "xx" in refused.output
    assert db.session.scalar(select(Article.language)) == "es"


def test_a_member_reading_in_spanish_sees_an_english_article_marked(member_at, make_article):
    article = make_article("Would you friend your therapist?")
    forms = member_at("lector", role="client")
    db.session.scalar(select(User).where(User.username == "lector")).language = "es"
    db.session.commit()

    html = page(forms.client, f"/articles/{article.slug}")
    assert '<html lang="es"' in html
    assert '<h1 id="article-title" lang="en">' in html


def test_an_articles_title_within_a_sentence_is_marked_too(client, make_article, make_user):
    article = make_article("¿Aceptarías la amistad de tu terapeuta?", language="es")
    comment = make_comment(article, make_user("lector", role="client"), "Nunca.")

    html = page(client, f"/comments/{comment.id}")
    assert (
        'Back to the discussion of “<span lang="es">¿Aceptarías la amistad de tu terapeuta?'
        "</span>”" in html
    )
    spanish = page(client, f"/comments/{comment.id}", headers=SPANISH)
    assert "«¿Aceptarías la amistad de tu terapeuta?»" in spanish  # not marked: the same language
