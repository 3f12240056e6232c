"""OpenAPI paths and schemas for comments."""

from app.api.comments import MAX_PER_PAGE

ERROR = {"$ref": "#/components/schemas/Error"}
NULLABLE_TIMESTAMP = {"type": ["string", "null"], "format": "date-time"}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


PATHS: dict = {
    "/articles/{slug}/comments": {
        "get": {
            "operationId": "listArticleComments",
            "summary": "An article's discussion, a page of threads at a time",
            "description": "Top-level comments of a published article, each with every reply "
            "below it nested in `replies`, to any depth. Pagination counts top-level "
            "comments only: `total` is the number of threads and `pages` the number of pages "
            "of them. Featured comments come first at every level. Comments deleted by "
            "their author or removed by a moderator appear only where replies hang below "
            "them, with their `status` and no author or text; comments waiting for a "
            "moderator are left out (or shown the same way, if replies hang below them). "
            "A page past the last one answers 200 with no items.",
            "tags": ["Comments"],
            "parameters": [
                {
                    "name": "slug",
                    "in": "path",
                    "required": True,
                    "description": "The article's slug.",
                    "schema": {"type": "string"},
                },
                {
                    "name": "sort",
                    "in": "query",
                    "required": False,
                    "description": "oldest first, newest first, or most helpful first.",
                    "schema": {
                        "type": "string",
                        "enum": ["oldest", "newest", "helpful"],
                        "default": "oldest",
                    },
                },
                {
                    "name": "page",
                    "in": "query",
                    "required": False,
                    "description": "Page of top-level comments, from 1.",
                    "schema": {"type": "integer", "minimum": 1, "default": 1},
                },
                {
                    "name": "per_page",
                    "in": "query",
                    "required": False,
                    "description": "Top-level comments per page (the site's setting, 20, by "
                    "default). Each comes with all its replies.",
                    "schema": {
                        "type": "integer",
                        "minimum": 1,
                        "maximum": MAX_PER_PAGE,
                        "default": 20,
                    },
                },
            ],
            "responses": {
                "200": {
                    "description": "A page of threads.",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/CommentPage"}
                        }
                    },
                },
                "400": _error("`sort`, `page` or `per_page` is not a value listed here."),
                "404": _error("No published article has this slug."),
            },
        }
    }
}

SCHEMAS: dict = {
    "Comment": {
        "type": "object",
        "required": [
            "id",
            "parent_id",
            "author",
            "badge",
            "body_html",
            "created_at",
            "edited_at",
            "helpful_count",
            "featured",
            "status",
            "replies",
        ],
        "properties": {
            "id": {"type": "integer"},
            "parent_id": {
                "type": ["integer", "null"],
                "description": "The comment this one replies to; null for a top-level comment.",
            },
            "author": {
                "oneOf": [
                    {
                        "type": "object",
                        "required": ["username"],
                        "properties": {"username": {"type": "string"}},
                    },
                    {"type": "null"},
                ],
                "description": "Null for placeholders and for authors who deleted their account.",
            },
            "badge": {
                "type": ["string", "null"],
                "description": "The badge the author chose to show: \"Verified professional\", "
                "\"Client\" or \"Professional\"; null when they show none.",
            },
            "body_html": {
                "type": ["string", "null"],
                "description": "Sanitised HTML; null for placeholders.",
            },
            "created_at": {"type": "string", "format": "date-time"},
            "edited_at": {**NULLABLE_TIMESTAMP, "description": "When the author last edited it."},
            "helpful_count": {"type": "integer", "minimum": 0},
            "featured": {"type": "boolean", "description": "Featured by a moderator."},
            "status": {
                "type": "string",
                "enum": ["published", "deleted", "removed", "hidden", "pending"],
                "description": "published comments carry their text; the others are "
                "placeholders that keep their replies in place.",
            },
            "replies": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Comment"},
                "description": "Direct replies, in the requested order, each with its own.",
            },
        },
    },
    "CommentPage": {
        "type": "object",
        "required": ["items", "page", "pages", "total"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/Comment"}},
            "page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 1},
            "total": {"type": "integer", "minimum": 0, "description": "Top-level comments."},
        },
    },
}
