"""OpenAPI paths and schemas for articles."""

ERROR = {"$ref": "#/components/schemas/Error"}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


def _json(description: str, schema_name: str) -> dict:
    return {
        "description": description,
        "content": {
            "application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}
        },
    }


NULLABLE_STRING = {"type": ["string", "null"]}
TIMESTAMP = {"type": "string", "format": "date-time", "description": "ISO 8601, UTC."}
NULLABLE_TIMESTAMP = {"type": ["string", "null"], "format": "date-time"}

PATHS: dict = {
    "/articles": {
        "get": {
            "operationId": "listArticles",
            "summary": "Published articles, newest first",
            "description": "Only articles readers can see now. A page past the last one "
            "answers 200 with no items and the same `pages` and `total`.",
            "tags": ["Articles"],
            "parameters": [
                {
                    "name": "page",
                    "in": "query",
                    "required": False,
                    "description": "Page number, from 1.",
                    "schema": {"type": "integer", "minimum": 1, "default": 1},
                },
                {
                    "name": "per_page",
                    "in": "query",
                    "required": False,
                    "description": "Articles per page (the site's setting by default).",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10},
                },
            ],
            "responses": {
                "200": _json("A page of articles.", "ArticlePage"),
                "400": _error("`page` or `per_page` is not a positive integer in range."),
            },
        }
    },
    "/articles/{slug}": {
        "get": {
            "operationId": "getArticle",
            "summary": "One published article with its body, tags, author and poll",
            "tags": ["Articles"],
            "parameters": [
                {
                    "name": "slug",
                    "in": "path",
                    "required": True,
                    "description": "The article's slug, as in its address on the site.",
                    "schema": {"type": "string"},
                }
            ],
            "responses": {
                "200": _json("The article.", "Article"),
                "404": _error("No published article has this slug."),
            },
        }
    },
}

AUTHOR_PROPERTIES = {
    "username": {
        **NULLABLE_STRING,
        "description": "The member behind the byline, or null for an organisation's byline.",
    },
    "display_name": {"type": "string"},
}

TEASER_PROPERTIES = {
    "slug": {"type": "string"},
    "title": {"type": "string"},
    "summary": {"type": "string"},
    "author": {"$ref": "#/components/schemas/AuthorRef"},
    "published_at": TIMESTAMP,
    "comment_count": {"type": "integer", "minimum": 0},
    "poll_id": {"type": ["integer", "null"]},
}

SCHEMAS: dict = {
    "AuthorRef": {
        "type": "object",
        "required": ["username", "display_name"],
        "properties": AUTHOR_PROPERTIES,
    },
    "Author": {
        "type": "object",
        "required": [
            "username",
            "display_name",
            "slug",
            "organisation",
            "location",
            "credentials",
            "bio",
        ],
        "properties": {
            **AUTHOR_PROPERTIES,
            "slug": {"type": "string"},
            "organisation": NULLABLE_STRING,
            "location": NULLABLE_STRING,
            "credentials": {**NULLABLE_STRING, "examples": ["LMHC, LPC, BCC"]},
            "bio": NULLABLE_STRING,
        },
    },
    "ArticleTeaser": {
        "type": "object",
        "required": list(TEASER_PROPERTIES),
        "properties": TEASER_PROPERTIES,
    },
    "ArticlePage": {
        "type": "object",
        "required": ["items", "page", "pages", "total"],
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/ArticleTeaser"}},
            "page": {"type": "integer", "minimum": 1},
            "pages": {"type": "integer", "minimum": 0},
            "total": {"type": "integer", "minimum": 0},
        },
    },
    "Tag": {
        "type": "object",
        "required": ["name", "slug"],
        "properties": {"name": {"type": "string"}, "slug": {"type": "string"}},
    },
    "PollSummary": {
        "type": "object",
        "description": "A poll's question, settings and options, without results.",
        "required": [
            "id",
            "question",
            "kind",
            "status",
            "opens_at",
            "closes_at",
            "allow_anonymous",
            "results_visibility",
            "options",
        ],
        "properties": {
            "id": {"type": "integer"},
            "question": {"type": "string"},
            "kind": {"type": "string", "enum": ["single", "multiple"]},
            "status": {"type": "string", "enum": ["not-yet-open", "open", "closed"]},
            "opens_at": NULLABLE_TIMESTAMP,
            "closes_at": {
                **NULLABLE_TIMESTAMP,
                "description": "When the poll closes or closed; null if it has no end.",
            },
            "allow_anonymous": {"type": "boolean"},
            "results_visibility": {
                "type": "string",
                "enum": ["always", "after-vote", "after-close"],
            },
            "options": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "label"],
                    "properties": {"id": {"type": "integer"}, "label": {"type": "string"}},
                },
            },
        },
    },
    "Article": {
        "type": "object",
        "required": [
            *TEASER_PROPERTIES,
            "body_html",
            "tags",
            "updated_at",
            "discussion_locked",
            "poll",
        ],
        "properties": {
            **TEASER_PROPERTIES,
            "author": {"$ref": "#/components/schemas/Author"},
            "body_html": {"type": "string", "description": "Sanitised HTML."},
            "tags": {"type": "array", "items": {"$ref": "#/components/schemas/Tag"}},
            "updated_at": TIMESTAMP,
            "discussion_locked": {"type": "boolean"},
            "poll": {"oneOf": [{"$ref": "#/components/schemas/PollSummary"}, {"type": "null"}]},
        },
    },
}
