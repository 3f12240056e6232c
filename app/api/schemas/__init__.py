"""The API's response and request bodies as pydantic models, one module per resource.

The routes serialise through these models and /api/v1/openapi.json is generated from their
JSON Schema, so the document describes exactly what is served.
"""
