"""Polls that travel: the small page partner sites frame, its cookie-free vote, and oEmbed.

`GET /embed/polls/<id>` shows the question, a vote form where the poll takes anonymous votes,
the results as the poll's rule allows and a link to the discussion, in a page of its own
(one small stylesheet, no script). Only the origins an editor listed for the article may frame
it (`frame-ancestors`); every other page keeps `frame-ancestors 'none'`. `GET /oembed?url=`
gives partners' systems the iframe for an article's address.
"""

from flask import Blueprint

bp = Blueprint("embed", __name__)

from app.embed import routes  # noqa: E402, F401
