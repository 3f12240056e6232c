"""Routes for editors: the article list, article and author forms, publication actions."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from wtforms.fields.choices import SelectChoice

from app.articles.pages import render_article_page
from app.editor import bp
from app.editor.forms import ArticleForm, AuthorForm, ScheduleForm, split_lines, split_tags
from app.errors import refusal_shown
from app.extensions import db, login_manager
from app.models import Article, AuthorProfile, StaffLevel, as_utc
from app.services.articles import writing
from app.services.articles.listing import TEASER_LOAD, any_article
from app.services.articles.writing import ArticleDraft, AuthorDetails
from app.views import found_or_404, page_number

EDITOR_PAGE_SIZE = 30


@bp.before_request
def require_editor():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not current_user.has_staff_level(StaffLevel.EDITOR):
        abort(403)
    return None


@bp.get("/")
def index():
    statement = (
        select(Article).options(*TEASER_LOAD).order_by(Article.updated_at.desc(), Article.id.desc())
    )
    pagination = db.paginate(
        statement, page=page_number(), per_page=EDITOR_PAGE_SIZE, error_out=True
    )
    return render_template("editor/index.html", pagination=pagination)


def _author_choices(form: ArticleForm) -> None:
    authors = db.session.execute(
        select(AuthorProfile.id, AuthorProfile.display_name).order_by(AuthorProfile.display_name)
    ).all()
    form.author.choices = [SelectChoice(author_id, name) for author_id, name in authors]


def _draft_from(form: ArticleForm) -> ArticleDraft:
    return ArticleDraft(
        title=form.title.data,
        body_markdown=form.body.data,
        summary=form.summary.data,
        author=db.session.get(AuthorProfile, form.author.data),
        tags=split_tags(form.tags.data),
        slug=form.slug.data,
        poll=form.poll_spec(),
        embed_origins=split_lines(form.embed_origins.data),
        # Left as it is when a form without the field is sent.
        language=form.language.data if form.language.raw_data else None,
    )


def _article_or_404(article_id: int):
    return found_or_404(any_article(article_id))


@bp.route("/articles/new", methods=["GET", "POST"])
def new_article():
    form = ArticleForm()
    _author_choices(form)
    if form.validate_on_submit():
        with refusal_shown(form):
            article = writing.create_article(_draft_from(form), created_by=current_user)
            flash(_("Draft saved."), "success")
            return redirect(url_for("editor.edit_article", article_id=article.id))
    return render_template("editor/article_form.html", form=form, article=None)


@bp.route("/articles/<int:article_id>/edit", methods=["GET", "POST"])
def edit_article(article_id):
    article = _article_or_404(article_id)
    form = ArticleForm()
    _author_choices(form)
    if request.method == "GET":
        form.fill_from(article)
    elif form.validate_on_submit():
        with refusal_shown(form):
            writing.update_article(article, _draft_from(form))
            flash(_("Changes saved."), "success")
            return redirect(url_for("editor.edit_article", article_id=article.id))
    return _edit_page(article, form, ScheduleForm(formdata=None))


def _edit_page(article, form, schedule_form):
    has_votes = article.poll is not None and writing.has_votes(article.poll)
    return render_template(
        "editor/article_form.html",
        form=form,
        article=article,
        schedule_form=schedule_form,
        poll_has_votes=has_votes,
    )


def _publication_action(article_id, action, done_message):
    article = _article_or_404(article_id)
    with refusal_shown():
        action(article)
        flash(done_message, "success")
    return redirect(url_for("editor.edit_article", article_id=article_id))


@bp.post("/articles/<int:article_id>/publish")
def publish_article(article_id):
    return _publication_action(article_id, writing.publish, _("Published. Readers can see it now."))


@bp.post("/articles/<int:article_id>/unpublish")
def unpublish_article(article_id):
    return _publication_action(
        article_id, writing.unpublish, _("Unpublished. The article is a draft again.")
    )


@bp.post("/articles/<int:article_id>/schedule")
def schedule_article(article_id):
    article = _article_or_404(article_id)
    schedule_form = ScheduleForm()
    if schedule_form.validate_on_submit():
        when = as_utc(schedule_form.publish_at.data)
        with refusal_shown(schedule_form):
            writing.schedule(article, when)
            # The date's pattern (Unicode CLDR) is translated with the sentence around it.
            day = format_datetime(when, _("d MMMM y, HH:mm"))
            flash(_("Scheduled for %(when)s UTC.", when=day), "success")
            return redirect(url_for("editor.edit_article", article_id=article_id))
    form = ArticleForm(formdata=None)
    _author_choices(form)
    form.fill_from(article)
    return _edit_page(article, form, schedule_form)


@bp.get("/articles/<int:article_id>/preview")
def preview_article(article_id):
    return render_article_page(_article_or_404(article_id), preview=True)


@bp.get("/authors")
def authors():
    rows = db.session.execute(
        select(AuthorProfile, func.count(Article.id))
        .outerjoin(Article, Article.author_id == AuthorProfile.id)
        .group_by(AuthorProfile.id)
        .order_by(AuthorProfile.display_name)
    ).all()
    return render_template("editor/authors.html", rows=rows)


def _author_details(form: AuthorForm) -> AuthorDetails:
    return AuthorDetails(
        display_name=form.display_name.data,
        slug=form.slug.data,
        organisation=form.organisation.data,
        location=form.location.data,
        credentials=form.credentials.data,
        bio=form.bio.data,
    )


@bp.route("/authors/new", methods=["GET", "POST"])
def new_author():
    form = AuthorForm()
    if form.validate_on_submit():
        with refusal_shown(form):
            author = writing.create_author(_author_details(form))
            flash(_("Author “%(name)s” added.", name=author.display_name), "success")
            return redirect(url_for("editor.authors"))
    return render_template("editor/author_form.html", form=form, author=None)


@bp.route("/authors/<int:author_id>/edit", methods=["GET", "POST"])
def edit_author(author_id):
    author = db.get_or_404(AuthorProfile, author_id)
    form = AuthorForm(obj=author)
    if form.validate_on_submit():
        with refusal_shown(form):
            writing.update_author(author, _author_details(form))
            flash(_("Author “%(name)s” saved.", name=author.display_name), "success")
            return redirect(url_for("editor.authors"))
    return render_template("editor/author_form.html", form=form, author=author)


@bp.post("/authors/<int:author_id>/delete")
def delete_author(author_id):
    author = db.get_or_404(AuthorProfile, author_id)
    name = author.display_name
    with refusal_shown():
        writing.delete_author(author)
        flash(_("Author “%(name)s” deleted.", name=name), "success")
        return redirect(url_for("editor.authors"))
    return redirect(url_for("editor.edit_author", author_id=author_id))
