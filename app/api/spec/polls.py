"""OpenAPI paths and schemas for polls."""

PATHS: dict = {}
SCHEMAS: dict = {}
