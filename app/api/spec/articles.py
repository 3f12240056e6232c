"""OpenAPI paths and schemas for articles."""

PATHS: dict = {}
SCHEMAS: dict = {}
