"""Settings for each environment, read from environment variables."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _env_int(name, default):
    return int(os.environ.get(name, default))


def _env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(";") if item.strip()]


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{BASE_DIR / 'instance' / 'boundaries.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SITE_NAME = "Boundaries"
    SITE_TAGLINE = "Questions of ethics between clients and the people who help them"

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session

    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = True

    ARTICLES_PER_PAGE = _env_int("ARTICLES_PER_PAGE", 10)
    COMMENTS_PER_PAGE = _env_int("COMMENTS_PER_PAGE", 20)
    COMMENT_DISPLAY_DEPTH = _env_int("COMMENT_DISPLAY_DEPTH", 6)
    COMMENT_EDIT_WINDOW_MINUTES = _env_int("COMMENT_EDIT_WINDOW_MINUTES", 15)
    COMMENT_MAX_LENGTH = _env_int("COMMENT_MAX_LENGTH", 5000)

    MIN_GROUP_SIZE = _env_int("MIN_GROUP_SIZE", 5)
    VOTER_ADDRESS_RETENTION_DAYS = _env_int("VOTER_ADDRESS_RETENTION_DAYS", 30)
    ANONYMOUS_VOTE_RATE_LIMIT = os.environ.get("ANONYMOUS_VOTE_RATE_LIMIT", "30 per hour")

    REPORTS_TO_HIDE = _env_int("REPORTS_TO_HIDE", 3)
    # A member is trusted once the account is this old and this many of their comments were
    # approved by a moderator (staff and verified professionals are trusted from the start).
    # Only trusted members' reports count toward REPORTS_TO_HIDE.
    TRUSTED_AFTER_DAYS = _env_int("TRUSTED_AFTER_DAYS", 3)
    TRUSTED_AFTER_APPROVED_COMMENTS = _env_int("TRUSTED_AFTER_APPROVED_COMMENTS", 1)
    PREMODERATE_FIRST_COMMENTS = _env_int("PREMODERATE_FIRST_COMMENTS", 2)
    # Links wait for review until a member has this many approved comments.
    PREMODERATE_LINKS_UNTIL = _env_int("PREMODERATE_LINKS_UNTIL", 5)
    CRISIS_RESOURCES = _env_list(
        "CRISIS_RESOURCES",
        [
            "If you are in immediate danger, call your local emergency number.",
            "US: call or text 988 (Suicide & Crisis Lifeline).",
            "UK and Ireland: call Samaritans on 116 123.",
            "Elsewhere: findahelpline.com lists free, confidential lines by country.",
        ],
    )

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "").lower() in {"1", "true", "yes"}
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Boundaries <no-reply@boundaries.invalid>")

    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")


class DevelopmentConfig(Config):
    DEBUG = True
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-secret")


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_STORAGE_URI = "memory://"
    # Cheap hashing keeps the suite fast; production uses the library's defaults.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    # Tests about other things post as established members; moderation tests opt in.
    PREMODERATE_FIRST_COMMENTS = 0
    PREMODERATE_LINKS_UNTIL = 0
    TRUSTED_AFTER_DAYS = 0
    TRUSTED_AFTER_APPROVED_COMMENTS = 0


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def validate(cls):
        if not cls.SECRET_KEY:
            raise RuntimeError("SECRET_KEY must be set in production.")


configs = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
