"""The site as the scanners see it: the development settings with the rate limits off.

The scanners send thousands of requests from one address; with the limits on, most of them
would be answered 429 before reaching the code under test (the login form after ten tries).
Nothing else differs from `flask --app app run`.
"""

from app import create_app
from config import DevelopmentConfig


class ScanConfig(DevelopmentConfig):
    RATELIMIT_ENABLED = False


app = create_app(ScanConfig)
