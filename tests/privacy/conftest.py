"""The functional tests' check applies here too: the JSON downloads must match the API document."""

from tests.functional.conftest import responses_match_the_api_document  # noqa: F401
