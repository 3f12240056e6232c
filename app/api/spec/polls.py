"""OpenAPI paths and schemas for polls: the poll, its results, and voting."""

ERROR = {"$ref": "#/components/schemas/Error"}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR}}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


POLL_ID = {
    "name": "poll_id",
    "in": "path",
    "required": True,
    "description": "The poll's id (articles give it as `poll.id`).",
    "schema": {"type": "integer"},
}
NULLABLE_COUNT = {"type": ["integer", "null"], "minimum": 0}
SHARE = {"type": ["number", "null"], "minimum": 0, "maximum": 1}

PATHS: dict = {
    "/polls/{poll_id}": {
        "get": {
            "operationId": "getPoll",
            "summary": "A poll's question, settings and options",
            "tags": ["Polls"],
            "parameters": [POLL_ID],
            "responses": {
                "200": _json("The poll.", _ref("PollSummary")),
                "404": _error("No poll with this id on a published article."),
            },
        }
    },
    "/polls/{poll_id}/results": {
        "get": {
            "operationId": "getPollResults",
            "summary": "Counts, shares, 95% intervals and a breakdown by group",
            "description": "Obeys the poll's visibility rule: with `after-vote` the reader "
            "(session or voter cookie) must have voted or the poll be closed; with "
            "`after-close` the poll must be closed. Counts between 1 and `min_group_size` - 1, "
            "and any count they could be recovered from, are `null`.",
            "tags": ["Polls"],
            "parameters": [
                POLL_ID,
                {
                    "name": "by",
                    "in": "query",
                    "required": False,
                    "schema": {"type": "string", "enum": ["role", "discipline"], "default": "role"},
                },
                {
                    "name": "scope",
                    "in": "query",
                    "required": False,
                    "description": "All votes, members' votes, or verified professionals' votes.",
                    "schema": {
                        "type": "string",
                        "enum": ["all", "members", "verified"],
                        "default": "all",
                    },
                },
            ],
            "responses": {
                "200": _json("The results.", _ref("PollResults")),
                "400": _error("`by` or `scope` is not one of the allowed values."),
                "403": _error("The results are not visible to this reader yet."),
                "404": _error("No poll with this id on a published article."),
            },
        }
    },
    "/polls/{poll_id}/votes": {
        "post": {
            "operationId": "castVote",
            "summary": "Vote, or change one's vote, in a poll",
            "description": "Needs the session cookie and the page's CSRF token (from "
            '`<meta name="csrf-token">`) in the `X-CSRFToken` header. Members vote with '
            "their session; where the poll allows anonymous votes, readers declare a `role` "
            "and are remembered by a signed `voter` cookie set on their first vote. Voting "
            "again changes the vote while the poll is open. Anonymous votes are "
            "rate-limited per network address.",
            "tags": ["Polls"],
            "parameters": [
                POLL_ID,
                {
                    "name": "X-CSRFToken",
                    "in": "header",
                    "required": True,
                    "schema": {"type": "string"},
                },
            ],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": _ref("Ballot")}},
            },
            "responses": {
                "200": _json(
                    "The vote is counted. The body is the results the voter may now see, or "
                    "`results: null` with a message when the poll shows them later.",
                    {"oneOf": [_ref("ResultsAfterVote"), _ref("HiddenResultsAfterVote")]},
                ),
                "400": _error(
                    "Missing or invalid CSRF token, malformed JSON, wrong types, an unknown "
                    "option, no option, two options on a single-choice poll, or no role "
                    "declared by an anonymous reader."
                ),
                "401": _error("The poll counts members only: log in to vote."),
                "403": _error("The member's account is suspended or banned."),
                "404": _error("No poll with this id on a published article."),
                "409": _error("The poll is closed, or not open yet."),
                "429": _error("Too many anonymous votes from this network address."),
            },
        }
    },
}

RESULTS_PROPERTIES = {
    "poll_id": {"type": "integer"},
    "total": {**NULLABLE_COUNT, "description": "Voters in the scope (null if suppressed)."},
    "options": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["id", "label", "count", "share", "ci95"],
            "properties": {
                "id": {"type": "integer"},
                "label": {"type": "string"},
                "count": NULLABLE_COUNT,
                "share": SHARE,
                "ci95": {
                    "oneOf": [
                        {
                            "type": "array",
                            "items": {"type": "number"},
                            "minItems": 2,
                            "maxItems": 2,
                        },
                        {"type": "null"},
                    ],
                    "description": "95% Wilson interval of the share.",
                },
            },
        },
    },
    "breakdown": {
        "type": "object",
        "required": ["by", "groups"],
        "properties": {
            "by": {"type": "string", "enum": ["role", "discipline"]},
            "groups": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["key", "label", "total", "suppressed", "options"],
                    "properties": {
                        "key": {"type": "string"},
                        "label": {"type": "string"},
                        "total": NULLABLE_COUNT,
                        "suppressed": {"type": "boolean"},
                        "options": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["id", "count", "suppressed"],
                                "properties": {
                                    "id": {"type": "integer"},
                                    "count": NULLABLE_COUNT,
                                    "suppressed": {"type": "boolean"},
                                },
                            },
                        },
                    },
                },
            },
        },
    },
    "independence": {
        "oneOf": [
            {
                "type": "object",
                "required": ["statistic", "dof", "p_value"],
                "properties": {
                    "statistic": {"type": "number"},
                    "dof": {"type": "integer"},
                    "p_value": {"type": "number"},
                },
            },
            {"type": "null"},
        ],
        "description": "Chi-square test of independence between group and answer; null "
        "where there are not enough votes for the test to be valid.",
    },
    "min_group_size": {"type": "integer", "description": "Smallest count shown (k)."},
}
YOUR_ANSWER = {"type": "array", "items": {"type": "integer"}, "description": "Option ids."}

SCHEMAS: dict = {
    "PollResults": {
        "type": "object",
        "required": list(RESULTS_PROPERTIES),
        "properties": RESULTS_PROPERTIES,
    },
    "Ballot": {
        "type": "object",
        "required": ["option_ids"],
        "properties": {
            "option_ids": {
                "type": "array",
                "items": {"type": "integer"},
                "description": "One option for a single-choice poll, one or more otherwise.",
            },
            "role": {
                "type": "string",
                "enum": ["client", "professional", "reader"],
                "description": "Anonymous readers only: client, professional, or neither "
                "(reader). Members vote with the role of their profile.",
            },
        },
    },
    "ResultsAfterVote": {
        "type": "object",
        "required": [*RESULTS_PROPERTIES, "voted", "your_answer"],
        "properties": {
            **RESULTS_PROPERTIES,
            "voted": {"const": True},
            "your_answer": YOUR_ANSWER,
        },
    },
    "HiddenResultsAfterVote": {
        "type": "object",
        "required": ["voted", "your_answer", "results", "message"],
        "properties": {
            "voted": {"const": True},
            "your_answer": YOUR_ANSWER,
            "results": {"type": "null"},
            "message": {"type": "string"},
        },
    },
}
