"""OpenAPI paths and schemas for comments."""

PATHS: dict = {}
SCHEMAS: dict = {}
