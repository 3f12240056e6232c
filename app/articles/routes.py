"""Routes for reading articles."""

from flask import render_template

from app.articles import bp


@bp.get("/")
def home():
    return render_template("articles/home.html")
