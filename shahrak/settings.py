"""Django settings for Shahrak, read from the environment.

Every setting that differs between machines comes from an environment variable with a strict
parser; a bad value stops start-up with a message naming the variable. SQLite under var/ is the
embedded default; PostgreSQL (DATABASE_URL=postgres://...) is the production database.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SHAHRAK_VAR_DIR", BASE_DIR / "var"))


def env(name: str, default: str | None = None) -> str | None:
    """A variable's value, or the contents of the file named by NAME_FILE (for secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int) -> int:
    value = env(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if number < 0:
        raise ImproperlyConfigured(f"{name} must not be negative, not {value!r}")
    return number


def env_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """`X-Forwarded-Proto: https` (the header the proxy sets, and its value on HTTPS) → Django's form."""
    value = env(name)
    if value is None or value.strip() == "":
        return None
    header, sep, expected = value.partition(":")
    header, expected = header.strip(), expected.strip()
    if not sep or not expected or not header or not all(c.isalnum() or c == "-" for c in header):
        raise ImproperlyConfigured(f"{name} must look like 'X-Forwarded-Proto: https', not {value!r}")
    return "HTTP_" + header.upper().replace("-", "_"), expected


def env_list(name: str, default: list[str]) -> list[str]:
    value = env(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


# Off unless asked for: a forgotten variable must not expose debug pages in production.
DEBUG = env_bool("DEBUG", False)
VAR_DIR.mkdir(parents=True, exist_ok=True)
SECRET_KEY = env("SECRET_KEY") or ""
if not SECRET_KEY:
    # An embedded install (make run) gets a random key kept beside its database; production
    # sets SECRET_KEY (or SECRET_KEY_FILE) itself.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# HTTPS, for `check --deploy`: off by default (make run and tests speak plain HTTP); production
# behind TLS sets them (deploy/shahrak.env.example). Probes stay reachable over plain HTTP.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
# Only behind a proxy that sets (and strips from clients) this header: e.g. "X-Forwarded-Proto: https".
SECURE_PROXY_SSL_HEADER = env_proxy_ssl_header("SECURE_PROXY_SSL_HEADER")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "shahrak.ops",  # before django_tasks_db: its db_worker adds the heartbeat
    "django_tasks_db",
    "shahrak.core",
    "shahrak.accounts",
    "shahrak.ui",
    "shahrak.regions",
    "shahrak.estates",
    "shahrak.units",
    "shahrak.projects",
    "shahrak.targets",
    "shahrak.money",
    "shahrak.returns",
    "shahrak.land",
    "shahrak.metrics",
    "shahrak.analysis",
    "shahrak.reports",
    "shahrak.imports",
    "shahrak.demo",
    "shahrak.web",
]

MIDDLEWARE = [
    "shahrak.ops.middleware.RequestLogMiddleware",  # first: its duration and query count cover the rest
    "shahrak.ops.replicas.ReadAfterWriteMiddleware",  # a no-op without replicas
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "shahrak.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "shahrak.urls"
WSGI_APPLICATION = "shahrak.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "shahrak" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "shahrak.ops.demo.context",
            ],
        },
    },
]

# SQLite is the embedded default. WAL lets readers run beside a writer, and IMMEDIATE
# transactions take the write lock at BEGIN so concurrent writers wait (busy timeout)
# instead of failing with "database is locked" half-way through.
DEFAULT_SQLITE_URL = f"sqlite:///{VAR_DIR / 'shahrak.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL") or DEFAULT_SQLITE_URL, conn_max_age=60)}
# Read replicas of a PostgreSQL primary (shahrak/ops/replicas.py): comma-separated URLs.
for _number, _url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    DATABASES[f"replica{_number}"] = dj_database_url.parse(_url, conn_max_age=60)
    DATABASES[f"replica{_number}"]["TEST"] = {"MIRROR": "default"}
# PostgreSQL's JIT compiles a query whose estimated cost is high; the figures' grouped queries cross
# that line at national scale and spent 60 ms compiling to save less (bench/pages.py, dashboard at
# scale 1: 125 ms of 1.6 s). Off unless POSTGRES_JIT=true. A URL's own ?options= is kept beside it.
for _database in DATABASES.values():
    if _database["ENGINE"] == "django.db.backends.postgresql" and not env_bool("POSTGRES_JIT", False):
        _options = _database.setdefault("OPTIONS", {})
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["shahrak.ops.replicas.PrimaryReplicaRouter"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA foreign_keys=ON; PRAGMA cache_size=-64000; PRAGMA temp_store=MEMORY;"
        ),
    }
    DATABASES["default"]["TEST"] = {"NAME": env("SHAHRAK_TEST_SQLITE_NAME") or None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]

# Persian first, English as a switch.
LANGUAGE_CODE = "fa"
LANGUAGES = [("fa", "فارسی"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "shahrak" / "locale"]
TIME_ZONE = "Asia/Tehran"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "shahrak_language"

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"  # filled by `shahrak collectstatic` for production
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Without collectstatic (make run, tests), WhiteNoise serves straight from the apps' static folders.
WHITENOISE_USE_FINDERS = True
# Front-end packages are installed by npm at set-up and copied into shahrak/web/static/vendor by
# `make assets` (git-ignored, never committed). The PDF bulletin reads the Vazirmatn TTF from there.
VENDOR_DIR = BASE_DIR / "shahrak" / "web" / "static" / "vendor"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    # The API reads JSON bodies only, so its schema declares one content type per body and a
    # stock generated client works (issue 11.6). The web's forms are Django views, not DRF.
    "DEFAULT_PARSER_CLASSES": ["shahrak.api.parsers.JSONParser"],
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shahrak API",
    "DESCRIPTION": "Records and figures of industrial parks and zones.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its docs page describe the API, not its data: readable without signing in.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    # Separate request and response shapes, so read-only fields (id, province) are not asked for.
    "COMPONENT_SPLIT_REQUEST": True,
    # Several records have a `status`; the land application's choices get a name of their own.
    "ENUM_NAME_OVERRIDES": {"ApplicationStatusEnum": "shahrak.land.models.ApplicationStatus"},
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "shahrak.api.schema.document_errors",
    ],
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Figures asked again with no write since come from the figure cache (shahrak/metrics/cache.py),
# keyed on the data version: an entry is never stale, so each process may keep its own.
FIGURE_CACHE_SECONDS = env_int("FIGURE_CACHE_SECONDS", 3600)  # 0 turns it off
# The public form's rate limit (default) and the figure cache (figures). REDIS_URL names a Redis
# that every process shares — the web workers and the task worker — so that a limit counts all of a
# client's posts and a figure computed by one worker serves the others. Without it each process
# keeps its own in memory: right for one process (`make run`, tests), weaker with several workers.
REDIS_URL = env("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        alias: {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"shahrak:{alias}",
        }
        for alias in ("default", "figures")
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "figures": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "figures",
            "OPTIONS": {"MAX_ENTRIES": env_int("FIGURE_CACHE_ENTRIES", 2_000)},
        },
    }

# Rules the organization may change: they are settings, not code.
SHAHRAK = {
    # County size class (there is no official one): seat city over a million, or designated.
    "METROPOLIS_COUNTIES": ["2301", "0916", "1002", "3001", "0707", "0303", "2501", "0603", "0502"],
    "BIG_COUNTY_MIN_POPULATION": 250_000,
    "DEFAULT_RATE_SOURCE": "free_market",
    # The task worker refreshes its heartbeat this often; /readyz fails when the freshest is older.
    "WORKER_HEARTBEAT_SECONDS": 10,
    "WORKER_HEARTBEAT_MAX_AGE": env_int("WORKER_HEARTBEAT_MAX_AGE", 60),
    # After a write, the user reads from the primary this long (replicas may lag behind).
    "PRIMARY_PIN_SECONDS": env_int("PRIMARY_PIN_SECONDS", 10),
    # The Iranian year figures open on when no period is asked for; empty = the current year.
    # The public application form (shahrak/web/public.py): posts per client address per window,
    # the largest body read, the header a trusted proxy puts the client's address in ("" = none).
    "PUBLIC_FORM_POSTS": env_int("PUBLIC_FORM_POSTS", 5),
    "PUBLIC_FORM_WINDOW_SECONDS": env_int("PUBLIC_FORM_WINDOW_SECONDS", 3600),
    "PUBLIC_FORM_MAX_BYTES": 20_000,
    "PUBLIC_FORM_CLIENT_HEADER": env("PUBLIC_FORM_CLIENT_HEADER", ""),
    "PUBLIC_LOOKUPS": 60,
    "DEFAULT_YEAR": int(env("SHAHRAK_DEFAULT_YEAR", "0")) or None,
    # Monthly returns (shahrak/returns): due by this day of the next month; an approved month is
    # reopened for at most this many days; returns are expected from this month on ("" = always).
    "RETURN_DUE_DAY": env_int("RETURN_DUE_DAY", 10),
    "RETURN_REOPEN_MAX_DAYS": env_int("RETURN_REOPEN_MAX_DAYS", 14),
    "RETURNS_FROM": env("RETURNS_FROM", "1401-01"),
    # Limits on every file an import reads (web upload and `shahrak import`; docs/data-format.md).
    "IMPORT_MAX_BYTES": env_int("SHAHRAK_IMPORT_MAX_BYTES", 200 * 1024 * 1024),
    "IMPORT_MAX_UNPACKED_BYTES": env_int("SHAHRAK_IMPORT_MAX_UNPACKED_BYTES", 600 * 1024 * 1024),
    "IMPORT_MAX_ROWS": env_int("SHAHRAK_IMPORT_MAX_ROWS", 1_000_000),
    "IMPORT_MAX_COLUMNS": env_int("SHAHRAK_IMPORT_MAX_COLUMNS", 100),
    "IMPORT_MAX_CELL_CHARS": env_int("SHAHRAK_IMPORT_MAX_CELL_CHARS", 100_000),
    # A running import whose worker has not written a heartbeat for this long is marked failed.
    "IMPORT_HEARTBEAT_MAX_AGE": env_int("SHAHRAK_IMPORT_HEARTBEAT_MAX_AGE", 120),
}
# The OC4IDS publisher (`check --deploy` fails while the placeholders of imports/oc4ids.py are used).
for _name in ("PREFIX", "PUBLISHER", "PUBLISHER_URI"):
    if env(f"OC4IDS_{_name}"):
        SHAHRAK[f"OC4IDS_{_name}"] = env(f"OC4IDS_{_name}").strip()

# One JSON line per request (shahrak.requests) and per background task (shahrak.tasks) on
# standard error, where systemd's journal (or any collector) picks them up; LOG_REQUESTS=false
# silences them.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "shahrak.ops.logs.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "json": {"class": "logging.StreamHandler", "formatter": "json"},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {
        name: {
            "handlers": ["json"],
            "level": "INFO" if env_bool("LOG_REQUESTS", True) else "WARNING",
            "propagate": False,
        }
        for name in ("shahrak.requests", "shahrak.tasks")
    },
}
