"""The reading pages, insights and error pages speak Spanish to a reader whose browser asks."""

import re
import secrets
from datetime import UTC, datetime

from app.extensions import db
from app.services.polls.voting import cast_vote

SPANISH = {"Accept-Language": "es"}


def text_of(response) -> str:
    html = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def votes(poll, label: str, n: int, role: str) -> None:
    option = next(option for option in poll.options if option.label == label)
    for _ in range(n):
        cast_vote(poll, [option.id], voter_token=secrets.token_urlsafe(12), role=role)
    db.session.commit()


def test_home_and_article_pages_in_spanish(client, make_article):
    article = make_article(
        "¿Aceptarías a tu terapeuta en Facebook?",
        published_at=datetime(2025, 3, 12, 9, 0, tzinfo=UTC),
    )

    home = text_of(client.get("/", headers=SPANISH))
    page = text_of(client.get(f"/articles/{article.slug}", headers=SPANISH))

    assert "Últimos artículos" in home and "Seguir leyendo" in home
    assert "Cuestiones de ética entre clientes y quienes les ayudan" in home
    assert "no son consejo clínico" in home
    assert "Latest articles" not in home and "Read more" not in home
    assert "12 de marzo de 2025" in page and "0 comentarios" in page
    assert "not clinical advice" not in page


def test_insights_page_in_spanish_keeps_small_groups_hidden(client, make_article):
    article = make_article(
        poll_question="¿Aceptarías un regalo?", poll_options=("Sí", "No"), allow_anonymous=True
    )
    votes(article.poll, "Sí", 7, "client")
    votes(article.poll, "No", 5, "client")
    votes(article.poll, "Sí", 3, "professional")

    page = text_of(client.get(f"/insights/polls/{article.poll.id}", headers=SPANISH))

    assert "15 votantes" in page
    assert "Votos por rol en la comunidad" in page and "Clientes" in page
    assert "menos de 5" in page and "fewer than 5" not in page
    assert "58 %" in page  # 7 of 12 clients, as Spanish writes a share
    assert "para que nadie de un grupo pequeño pueda ser identificado" in page
    assert "Votes by community role" not in page and "Download the results" not in page


def test_site_wide_insights_and_search_in_spanish(client, make_article):
    make_article("Regalos de clientes", summary="¿Se puede aceptar un regalo?")

    insights = text_of(client.get("/insights/", headers=SPANISH))
    search = text_of(client.get("/search?q=regalos", headers=SPANISH))

    assert "Dónde más se diferencian clientes y profesionales" in insights
    assert "Quién participa" in insights and "Who takes part" not in insights
    assert "1 artículo coincide con «regalos»" in search
    assert "article matches" not in search


def test_error_pages_and_json_errors_in_spanish(client):
    missing = client.get("/articles/no-such-article", headers=SPANISH)
    api = client.get("/api/v1/articles?page=abc", headers=SPANISH)

    assert missing.status_code == 404
    assert "No encontramos esa página" in text_of(missing)
    assert "We couldn’t find that page" not in text_of(missing)
    assert api.status_code == 400
    assert api.get_json()["error"]["message"] == "'page' debe ser un número entero positivo."
