"""Settings for each environment, read from environment variables."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _env_int(name, default):
    return int(os.environ.get(name, default))


def _env_flag(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_seconds(name, default):
    """A list of whole seconds, separated by semicolons ("60;300;1800")."""
    value = os.environ.get(name)
    if value is None:
        return tuple(default)
    return tuple(int(item) for item in value.split(";") if item.strip())


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
    # Larger requests get a 413. Room for the editor's 100,000-character article in any script.
    MAX_CONTENT_LENGTH = _env_int("MAX_CONTENT_LENGTH", 2 * 1024 * 1024)
    MAX_FORM_MEMORY_SIZE = MAX_CONTENT_LENGTH
    HSTS_SECONDS = 0  # Strict-Transport-Security is sent in production only

    REDIS_URL = os.environ.get("REDIS_URL")
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_ENABLED = True

    # Pages anonymous readers share (app/caching): kept in Redis when there is one, else in the
    # process (one process: `make run`; with several, pages of another process would go stale).
    CACHE_TYPE = "RedisCache" if REDIS_URL else "SimpleCache"
    CACHE_REDIS_URL = REDIS_URL
    CACHE_KEY_PREFIX = "boundaries:"
    CACHE_THRESHOLD = 2000  # pages an in-process cache holds
    # Whether each member's pages are kept for them too (private copies; see app/caching).
    KEEP_MEMBER_PAGES = _env_flag("KEEP_MEMBER_PAGES", True)
    # Bytes of page bodies each process keeps besides (the pages it served last).
    LOCAL_PAGE_BYTES = _env_int("LOCAL_PAGE_BYTES", 16 * 1024 * 1024)
    # How long the app keeps a page; whatever changes it purges it sooner, after the commit.
    PAGE_CACHE_SECONDS = _env_int("PAGE_CACHE_SECONDS", 300)
    # Cache-Control of those pages. Browsers ask again each time (max-age 0: cheap, a 304 when
    # nothing changed), so a reader who just voted, logged in or got a message sees it at once;
    # proxies and CDNs, which nothing purges, keep a page for s-maxage seconds.
    PUBLIC_MAX_AGE = _env_int("PUBLIC_MAX_AGE", 0)
    PUBLIC_S_MAXAGE = _env_int("PUBLIC_S_MAXAGE", 10)
    # Pages that show a poll (results, answers beside comments) lag its votes by at most this.
    POLL_RESULTS_LAG = _env_int("POLL_RESULTS_LAG", 10)

    # Limits in Flask-Limiter's notation ("10 per minute;100 per day"), counted per network
    # address and per member; app/limits.py applies them.
    LIMIT_LOGIN_PER_ADDRESS = os.environ.get("LIMIT_LOGIN_PER_ADDRESS", "10 per minute")
    # Failed attempts on one username, from any address (credential stuffing).
    LIMIT_LOGIN_PER_ACCOUNT = os.environ.get("LIMIT_LOGIN_PER_ACCOUNT", "20 per hour;50 per day")
    LIMIT_REGISTER_PER_ADDRESS = os.environ.get(
        "LIMIT_REGISTER_PER_ADDRESS", "5 per hour;20 per day"
    )
    LIMIT_RESET_PER_ADDRESS = os.environ.get("LIMIT_RESET_PER_ADDRESS", "10 per hour")
    # Per username or e-mail address asked about, whether or not it has an account.
    LIMIT_RESET_PER_ACCOUNT = os.environ.get("LIMIT_RESET_PER_ACCOUNT", "3 per hour;10 per day")
    LIMIT_COMMENTS_PER_ADDRESS = os.environ.get(
        "LIMIT_COMMENTS_PER_ADDRESS", "30 per minute;300 per hour;1000 per day"
    )
    LIMIT_COMMENTS_PER_ACCOUNT = os.environ.get(
        "LIMIT_COMMENTS_PER_ACCOUNT", "6 per minute;60 per hour;200 per day"
    )
    LIMIT_REPORTS_PER_ADDRESS = os.environ.get(
        "LIMIT_REPORTS_PER_ADDRESS", "30 per hour;100 per day"
    )
    LIMIT_REPORTS_PER_ACCOUNT = os.environ.get(
        "LIMIT_REPORTS_PER_ACCOUNT", "10 per hour;30 per day"
    )
    LIMIT_HELPFUL_PER_ADDRESS = os.environ.get(
        "LIMIT_HELPFUL_PER_ADDRESS", "120 per minute;2000 per day"
    )
    LIMIT_HELPFUL_PER_ACCOUNT = os.environ.get(
        "LIMIT_HELPFUL_PER_ACCOUNT", "30 per minute;500 per day"
    )
    LIMIT_PREVIEWS_PER_ADDRESS = os.environ.get(
        "LIMIT_PREVIEWS_PER_ADDRESS", "240 per minute;5000 per day"
    )
    LIMIT_PREVIEWS_PER_ACCOUNT = os.environ.get(
        "LIMIT_PREVIEWS_PER_ACCOUNT", "60 per minute;2000 per day"
    )
    # Members' votes; anonymous votes have their own budget per address,
    # ANONYMOUS_VOTE_RATE_LIMIT.
    LIMIT_VOTES_PER_ADDRESS = os.environ.get(
        "LIMIT_VOTES_PER_ADDRESS", "60 per minute;1000 per day"
    )
    LIMIT_VOTES_PER_ACCOUNT = os.environ.get("LIMIT_VOTES_PER_ACCOUNT", "20 per minute;300 per day")
    # Members who are not trusted yet (see TRUSTED_AFTER_*) have these daily caps as well.
    LIMIT_NEW_MEMBER_COMMENTS = os.environ.get("LIMIT_NEW_MEMBER_COMMENTS", "10 per day")
    LIMIT_NEW_MEMBER_REPORTS = os.environ.get("LIMIT_NEW_MEMBER_REPORTS", "3 per day")
    # Event streams of live discussion opened from one address: each open article page
    # connects once, then again every few minutes.
    LIMIT_LIVE_STREAMS_PER_ADDRESS = os.environ.get(
        "LIMIT_LIVE_STREAMS_PER_ADDRESS", "120 per minute;3000 per hour"
    )

    # The languages the site speaks (app/translations); the first is the default.
    LANGUAGES = ("en", "es")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "app" / "translations")

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
    # The crisis panel's lines (app/services/moderation/crisis.py): empty keeps the site's own,
    # chosen for each language. CRISIS_RESOURCES replaces them for every reader (each line is
    # looked up in the catalogue, so it shows translated where one exists);
    # CRISIS_RESOURCES_<LANGUAGE> (CRISIS_RESOURCES_ES…) replaces them for that language's readers,
    # shown as written. Lines are separated by semicolons.
    CRISIS_RESOURCES = _env_list("CRISIS_RESOURCES", [])
    CRISIS_RESOURCES_BY_LANGUAGE = {
        language: _env_list(f"CRISIS_RESOURCES_{language.upper()}", []) for language in LANGUAGES
    }

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "").lower() in {"1", "true", "yes"}
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "Boundaries <no-reply@boundaries.invalid>")
    # Seconds before each new attempt at a message the mail server did not take; when the last
    # attempt fails too, the message is kept as a dead letter that admins can send again.
    MAIL_RETRY_DELAYS = _env_seconds("MAIL_RETRY_DELAYS", (60, 300, 1800, 7200, 21600))
    # Sent and dead messages are deleted from the outbox after this many days.
    MAIL_OUTBOX_RETENTION_DAYS = _env_int("MAIL_OUTBOX_RETENTION_DAYS", 30)

    # Background jobs (app/jobs): "rq" hands them to `flask --app app worker` through Redis;
    # "threads" runs them in this process after the commit (the default without REDIS_URL);
    # "inline" runs them at once in the committing thread (tests).
    JOBS_BACKEND = os.environ.get("JOBS_BACKEND") or ("rq" if REDIS_URL else "threads")
    JOBS_QUEUE = os.environ.get("JOBS_QUEUE", "boundaries")
    JOBS_THREADS = _env_int("JOBS_THREADS", 2)

    # Pages, JSON, feeds, CSS and scripts leave compressed (Flask-Compress), so the embedded
    # server and any proxy get them small; Vary: Accept-Encoding tells caches to keep each
    # encoding apart. Brotli first where the client accepts it, gzip otherwise.
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_ALGORITHM_STREAMING = ["br", "gzip"]
    # A page kept for anonymous readers is compressed once, when kept, in each of those
    # encodings (app/caching/store.py), and every reader gets the copy their browser accepts.
    # Higher levels than Flask-Compress's for each response (Brotli 4, gzip 6): on the article
    # page (129 KB), Brotli 5 takes 3 ms for 7.5 KB and 11 takes 0.7 s for 6.4 KB.
    KEPT_PAGE_BR_LEVEL = 5
    KEPT_PAGE_GZIP_LEVEL = 9
    COMPRESS_MIMETYPES = [
        "text/html",
        "text/css",
        "text/plain",
        "text/csv",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/atom+xml",
        "application/xml",
        "image/svg+xml",
    ]

    # Live discussion (app/live): open article pages hear of arriving comments through an
    # event stream. "auto" keeps a stream open where waiting costs no worker (gevent's
    # workers, the embedded server) and answers at once elsewhere; "hold" or "poll" decide.
    LIVE_STREAM_MODE = os.environ.get("LIVE_STREAM_MODE", "auto")
    # An open stream ends after about this long (the browser reconnects at once) ...
    LIVE_STREAM_SECONDS = _env_int("LIVE_STREAM_SECONDS", 300)
    # ... says it is still there this often while nothing arrives ...
    LIVE_HEARTBEAT_SECONDS = _env_int("LIVE_HEARTBEAT_SECONDS", 20)
    # ... and asks the browser to wait this long (to twice as long) before reconnecting.
    LIVE_RETRY_SECONDS = _env_int("LIVE_RETRY_SECONDS", 3)
    # Where streams are not kept open, the browser asks again after this long.
    LIVE_POLL_SECONDS = _env_int("LIVE_POLL_SECONDS", 30)

    PREFERRED_URL_SCHEME = os.environ.get("PREFERRED_URL_SCHEME", "http")
    # The site's canonical address: every link that leaves a page (mail, feeds, sitemap,
    # OpenGraph) is built from it, never from the request's Host. Without it (development),
    # links use the address the page was asked for.
    BASE_URL = (os.environ.get("BASE_URL") or "").rstrip("/") or None
    # How many proxies in front of the site set X-Forwarded-For and -Proto; with 0, those
    # headers are ignored, so a client cannot choose its own address.
    PROXY_HOPS = _env_int("PROXY_HOPS", 0)
    # The bearer token Prometheus sends to read /metrics; without it /metrics is 404 and
    # nothing is recorded. Several gunicorn workers also need PROMETHEUS_MULTIPROC_DIR.
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN") or None
    # Outside development and tests: INFO writes one line per request (app/monitoring).
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO").upper()


class DevelopmentConfig(Config):
    DEBUG = True
    SECRET_KEY = os.environ.get("SECRET_KEY", "development-only-secret")


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_STORAGE_URI = os.environ.get("TEST_REDIS_URL", "memory://")
    # Jobs run as soon as the transaction that queued them commits, so tests see their effects.
    JOBS_BACKEND = "inline"
    # Pages are kept in the process, unless the tests share them with servers they start.
    CACHE_REDIS_URL = os.environ.get("TEST_CACHE_REDIS_URL")
    CACHE_TYPE = "RedisCache" if CACHE_REDIS_URL else "SimpleCache"
    # Cheap hashing keeps the suite fast; production uses the library's defaults.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    # Tests about other things post as established members; moderation tests opt in.
    PREMODERATE_FIRST_COMMENTS = 0
    PREMODERATE_LINKS_UNTIL = 0
    TRUSTED_AFTER_DAYS = 0
    TRUSTED_AFTER_APPROVED_COMMENTS = 0
    # The browser tests post a dozen comments a minute as one member; tests of the limits set
    # their own.
    LIMIT_COMMENTS_PER_ADDRESS = "120 per minute"
    LIMIT_COMMENTS_PER_ACCOUNT = "60 per minute"


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    HSTS_SECONDS = _env_int("HSTS_SECONDS", 365 * 24 * 3600)
    HSTS_INCLUDE_SUBDOMAINS = _env_flag("HSTS_INCLUDE_SUBDOMAINS", True)
    HSTS_PRELOAD = _env_flag("HSTS_PRELOAD", False)

    @classmethod
    def validate(cls):
        if not cls.SECRET_KEY:
            raise RuntimeError("SECRET_KEY must be set in production.")
        if not cls.BASE_URL or not cls.BASE_URL.startswith(("https://", "http://")):
            raise RuntimeError(
                "BASE_URL must be set in production to the site's address, e.g. "
                "https://boundaries.example.org"
            )
        if not cls.REDIS_URL:
            raise RuntimeError(
                "REDIS_URL must be set in production: rate limits are counted in Redis so that "
                "every worker shares them (without it each worker would keep its own counts)."
            )


configs = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
