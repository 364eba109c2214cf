"""Newsroom settings: one module, configured entirely by environment variables.

Every variable has a safe default for the embedded mode (SQLite, in-process cache,
tasks run immediately, email printed to the console). docs/configuration.md lists them.
"""

import os
import secrets
import time
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

DATA_DIR = Path(env("NEWSROOM_DATA_DIR", default=str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _stored_secret_key() -> str:
    """Read the secret key kept under the data directory, creating it on first use.

    O_EXCL makes creation atomic: when several processes start on an empty data
    directory, one writes the key (readable by its owner only) and the others read it.
    """
    path = DATA_DIR / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(64))
    for _attempt in range(50):  # another process may be mid-write
        key = path.read_text().strip()
        if key:
            return key
        time.sleep(0.05)
    raise RuntimeError(f"{path} is empty; delete it to generate a new key")


SECRET_KEY = env("SECRET_KEY", default=None) or _stored_secret_key()
DEBUG = env.bool("NEWSROOM_DEBUG", default=False)
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS",
    default=["localhost", ".localhost", "127.0.0.1", "[::1]", "testserver"],
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "newsroom.formats",
    "newsroom.scheduler",
    "newsroom.edge",
    "newsroom.ratelimit",
    "newsroom.news",
    "newsroom.wire",
    "newsroom.accounts",
    "newsroom.comments",
    "newsroom.alerts",
    "newsroom.moderation",
    "newsroom.interchange",
    "newsroom.trending",
    "newsroom.api",
    "newsroom.demo",
    "newsroom.backups",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",  # allauth's session list
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.facebook",
    "allauth.socialaccount.providers.google",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.usersessions",
    "django_htmx",
    "ninja",  # serves the API docs' scripts from our own static files
]

MIDDLEWARE = [
    "newsroom.edge.middleware.SharedPageMiddleware",
    # Inside the shared-page middleware, so the page cache keeps the header with the
    # page; outside WhiteNoise, so static files carry it too.
    "newsroom.edge.policy.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "newsroom.news.lookups.SiteMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "newsroom.accounts.middleware.ReaderTimeZoneMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsroom.news.lookups.CachedRedirectMiddleware",
    # Innermost: a read the database dropped is tried once more (edge/outages.py).
    "newsroom.edge.outages.RetryReadsMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"
ASGI_APPLICATION = "newsroom.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "newsroom" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "newsroom.moderation.context_processors.moderation_notice",
            ],
        },
    },
]

# Database: SQLite under the data directory unless DATABASE_URL says otherwise.
# WAL lets readers run beside the writer; IMMEDIATE takes the write lock at BEGIN so
# two writers queue on the busy timeout instead of failing with "database is locked".
SQLITE_PATH = DATA_DIR / "newsroom.sqlite3"
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend with writers queued rather than sleeping in SQLite's busy
    # handler (newsroom/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "newsroom.sqlite"
    # Tests run on an in-memory database, as Django's SQLite backend gives them; said
    # outright because pytest-django recognises that backend by its engine's name.
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=20000;"
        ),
    }
else:
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Pages run on the edge's fixed pool of threads (newsroom/edge/bridge.py), so each
# thread keeps its connection between requests instead of opening one per request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("NEWSROOM_DB_CONN_MAX_AGE", default=600)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set (shared by every app server), else in-process.
REDIS_URL = env("REDIS_URL", default="")
# Names this install's keys in a Redis shared with others (cache, read counts).
NEWSROOM_CACHE_PREFIX = env("NEWSROOM_CACHE_PREFIX", default="newsroom")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "newsroom.edge.caches.FailSoftRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": NEWSROOM_CACHE_PREFIX,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Wagtail keeps the renditions it looks up here, so a page's photos cost no query.
CACHES["renditions"] = {
    **CACHES["default"],
    "KEY_PREFIX": f"{NEWSROOM_CACHE_PREFIX}-renditions",
    "LOCATION": CACHES["default"].get("LOCATION", "renditions"),
}

# Background tasks (django-tasks). NEWSROOM_TASKS picks where they run:
# "immediate" (the default): at once, in the process that queues them (tests, manage.py
#   runserver); "database": queued in the database, run by `manage.py db_worker`
#   (`make demo` and `make serve` do this; on PostgreSQL workers take tasks with
#   SKIP LOCKED); "redis": queued in Redis (REDIS_URL), run by `manage.py rqworker`.
# A choice that cannot work (an unknown name, redis without REDIS_URL) runs tasks at
# once, so that the site and `manage.py check` start; the check says what to fix
# (newsroom/scheduler/checks.py).
NEWSROOM_TASKS = env("NEWSROOM_TASKS", default="immediate")
TASK_BACKENDS = {
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
    "redis": "django_tasks_rq.RQBackend",
}
_tasks_backend = NEWSROOM_TASKS
if _tasks_backend not in TASK_BACKENDS or (_tasks_backend == "redis" and not REDIS_URL):
    _tasks_backend = "immediate"
TASKS = {"default": {"BACKEND": TASK_BACKENDS[_tasks_backend]}}
if _tasks_backend == "redis":
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60 * 60}}
    # Without django-tasks-rq's job class, `rqworker` fails every task ("'Task'
    # object is not callable").
    RQ = {"JOB_CLASS": "django_tasks_rq.Job"}

# An EMAIL_URL django-environ cannot read prints mail as the default does, until
# `manage.py check` has it fixed (newsroom/alerts/checks.py).
EMAIL_URL = env("EMAIL_URL", default="consolemail://")
try:
    EMAIL_CONFIG = env.email_url_config(EMAIL_URL)
except (ImproperlyConfigured, ValueError):
    EMAIL_CONFIG = env.email_url_config("consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Newsroom <newsroom@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Argon2 first: new and re-saved passwords use it; older hashes still verify and
# are upgraded at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Django's and allauth's backends, reading the signed-in user with a prepared
# statement (newsroom/accounts/backends.py). The originals stay listed so sessions
# begun before they were swapped in stay signed in.
AUTHENTICATION_BACKENDS = [
    "newsroom.accounts.backends.ModelBackend",
    "newsroom.accounts.backends.AuthenticationBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
SESSION_ENGINE = "newsroom.accounts.backends"

# Reader accounts (django-allauth), shared by every site of the network. The
# username is the reader's public display name; docs/configuration.md explains
# each choice, including what sign-up reveals about registered addresses.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_ADAPTER = "newsroom.accounts.adapter.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "newsroom.accounts.adapter.SocialAccountAdapter"
ACCOUNT_FORMS = {
    "login": "newsroom.accounts.forms.ReaderLoginForm",
    "signup": "newsroom.accounts.forms.ReaderSignupForm",
    "add_email": "newsroom.accounts.forms.ReaderAddEmailForm",
}
SOCIALACCOUNT_FORMS = {"signup": "newsroom.accounts.forms.ReaderSocialSignupForm"}
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_USERNAME_VALIDATORS = "newsroom.accounts.names.DISPLAY_NAME_VALIDATORS"
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_UNIQUE_EMAIL = True
# Readers sign in at once and can read; commenting, voting and reporting wait for
# the verified address (newsroom.accounts.services.can_participate).
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True  # tell readers when their password or email changes
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None  # the reader ticks "Remember me"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""  # the adapter prefixes the sister site's name
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if env.bool("NEWSROOM_HTTPS", False) else "http"
# Sign-in, sign-up and password limits, in allauth's format "amount/period/key" and
# overridable one by one. The accounts app counts them in the shared counter store
# (newsroom/accounts/limits.py), so they hold across every app server; allauth's own
# counting, in each process's cache, is off.
ACCOUNT_RATE_LIMITS = False
NEWSROOM_ACCOUNT_RATE_LIMITS = {
    "login": env("NEWSROOM_RL_LOGIN", default="30/m/ip"),
    "login_failed": env("NEWSROOM_RL_LOGIN_FAILED", default="10/m/ip,5/5m/key"),
    "signup": env("NEWSROOM_RL_SIGNUP", default="10/m/ip,30/h/ip"),
    "reset_password": env("NEWSROOM_RL_RESET_PASSWORD", default="10/m/ip,3/h/key"),
    "reset_password_from_key": "20/m/ip",
    "confirm_email": env("NEWSROOM_RL_CONFIRM_EMAIL", default="1/3m/key"),
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
}
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # an existing account links only after
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = False  # its owner signs in to it
SOCIALACCOUNT_STORE_TOKENS = False
USERSESSIONS_TRACK_ACTIVITY = False


def _oauth_apps() -> dict:
    """Providers appear only when their client id and secret are in the environment
    (or, for the demo's stand-in for Facebook, in the database: see below)."""
    providers = {}
    facebook = {
        "METHOD": "oauth2",
        "SCOPE": ["email", "public_profile"],
        "FIELDS": ["id", "email", "name", "first_name", "last_name"],
    }
    if env("FACEBOOK_CLIENT_ID", default=""):
        providers["facebook"] = facebook | {
            "APPS": [
                {
                    "client_id": env("FACEBOOK_CLIENT_ID"),
                    "secret": env("FACEBOOK_CLIENT_SECRET"),
                }
            ],
        }
    demo_facebook = env("NEWSROOM_DEMO_FACEBOOK", default="").rstrip("/")
    if demo_facebook:
        # `make demo`'s stand-in (newsroom/demo/facebook.py): the browser goes to its
        # dialog and the app asks its Graph API, at unversioned paths; load_demo
        # registers the app in the database. newsroom.demo.checks refuses an address
        # off loopback, and real Facebook credentials beside it.
        providers["facebook"] = providers.get("facebook", facebook) | {
            "AUTHORIZE_URL": f"{demo_facebook}/dialog/oauth",
            "GRAPH_API_URL": demo_facebook,
        }
    if env("GOOGLE_CLIENT_ID", default=""):
        providers["google"] = {
            "APPS": [
                {
                    "client_id": env("GOOGLE_CLIENT_ID"),
                    "secret": env("GOOGLE_CLIENT_SECRET"),
                }
            ],
            "SCOPE": ["openid", "profile", "email"],
        }
    if env("OIDC_CLIENT_ID", default=""):
        providers["openid_connect"] = {
            "APPS": [
                {
                    "provider_id": env("OIDC_PROVIDER_ID", default="publisher"),
                    "name": env("OIDC_PROVIDER_NAME", default="Publisher account"),
                    "client_id": env("OIDC_CLIENT_ID"),
                    "secret": env("OIDC_CLIENT_SECRET"),
                    "settings": {"server_url": env("OIDC_SERVER_URL")},
                }
            ],
            "OAUTH_PKCE_ENABLED": True,
        }
    return providers


SOCIALACCOUNT_PROVIDERS = _oauth_apps()
# The address of the demo's stand-in for Facebook, e.g. http://127.0.0.1:8001 (set by
# `make demo`; never in production, where FACEBOOK_CLIENT_ID is the real app).
NEWSROOM_DEMO_FACEBOOK = env("NEWSROOM_DEMO_FACEBOOK", default="").rstrip("/")

LANGUAGE_CODE = "en-us"
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
LOCALE_PATHS = [BASE_DIR / "newsroom" / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "newsroom" / "static"]
STATIC_ROOT = DATA_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("NEWSROOM_MEDIA_ROOT", default=str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed names for far-future caching; needs `collectstatic`
    # (make demo runs it).
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("NEWSROOM_STATIC_MANIFEST", default=True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# The app serves uploaded media only in the embedded mode; behind nginx, nginx does.
NEWSROOM_SERVE_MEDIA = env.bool("NEWSROOM_SERVE_MEDIA", default=True)
# Photos are offered in WebP over JPEG; AVIF too when on (and Pillow can encode it).
# Off by default: an AVIF rendition costs ~10x the CPU of a WebP one to make, on the
# request that first shows the photo in that size.
NEWSROOM_IMAGE_AVIF = env.bool("NEWSROOM_IMAGE_AVIF", default=False)

# The proxies in front of the app (addresses or CIDRs, comma separated): only a
# request from one of them has its client's address read from X-Forwarded-For
# (newsroom/ratelimit/clients.py). Empty: the header is ignored. uvicorn is given the
# same list (--forwarded-allow-ips; Makefile, docs/deployment.md).
NEWSROOM_TRUSTED_PROXIES = env.list("NEWSROOM_TRUSTED_PROXIES", default=[])

# Production hardening. NEWSROOM_HTTPS=1 when served over TLS (directly or proxied).
NEWSROOM_HTTPS = env.bool("NEWSROOM_HTTPS", default=False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env.int("NEWSROOM_SESSION_AGE", default=60 * 60 * 24 * 30)
# Comments embedded on another website (newsroom.api) are a third-party frame there:
# browsers send it Lax cookies only when that website is the same site as ours
# (a subdomain). NEWSROOM_EMBED_CROSS_SITE (HTTPS only) sends the session and CSRF
# cookies to frames on other sites too, where the reader's browser allows it. Without
# HTTPS browsers refuse such cookies outright, so the cookies stay Lax and
# `manage.py check` reports it (newsroom/api/checks.py).
NEWSROOM_EMBED_CROSS_SITE = env.bool("NEWSROOM_EMBED_CROSS_SITE", default=False)
SESSION_COOKIE_SAMESITE = (
    "None" if NEWSROOM_EMBED_CROSS_SITE and NEWSROOM_HTTPS else "Lax"
)
CSRF_COOKIE_SAMESITE = SESSION_COOKIE_SAMESITE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"  # Wagtail's live preview frames our own pages

# Content-Security-Policy (newsroom/edge/policy.py, docs/security.md), written as
# Django 6's SECURE_CSP: directive -> sources. Shared pages carry no nonce (the page
# cache and Varnish serve one copy to everyone): scripts are the site's static files
# only, and the one inline <style> (the site's brand colour) is allowed by its hash.
# Video embeds in articles are frames from their providers (https:).
NEWSROOM_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "frame-src": ["'self'", "https:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'self'"],
}
# Wagtail's admin (/cms/) runs inline scripts and styles of its own (as of Wagtail 8),
# previews uploads from blob: addresses and embeds: a looser policy, for signed-in
# staff. Editors' avatars are Wagtail's own, not Gravatar's (no address hash leaves).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
NEWSROOM_CSP_ADMIN = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "frame-src": ["'self'", "https:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "frame-ancestors": ["'self'"],
}
SILENCED_SYSTEM_CHECKS = [
    "security.W019",  # SAMEORIGIN rather than DENY, for Wagtail's preview (above)
    "security.W021",  # HSTS preloading is the operator's call: NEWSROOM_HSTS_PRELOAD
]
if NEWSROOM_HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("NEWSROOM_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("NEWSROOM_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("NEWSROOM_HSTS_PRELOAD", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {
        "handlers": ["console"],
        "level": env("NEWSROOM_LOG_LEVEL", default="INFO"),
    },
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django_tasks": {
            "level": "WARNING"
        },  # one line per task drowns the useful output
    },
}

# Wagtail. The network's own name (the admin's title; no reader may take it as a
# display name, nor look like it: newsroom/accounts/selectors.reserved_names).
NEWSROOM_NETWORK_NAME = env("NEWSROOM_NETWORK_NAME", default="Newsroom")
WAGTAIL_SITE_NAME = NEWSROOM_NETWORK_NAME
WAGTAILADMIN_BASE_URL = env(
    "WAGTAILADMIN_BASE_URL", default="http://ledger.localhost:8000"
)
WAGTAILIMAGES_IMAGE_MODEL = "news.NewsImage"
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "avif"]
WAGTAILSEARCH_BACKENDS = {
    # The database backend uses PostgreSQL full-text search when on PostgreSQL, where
    # the English configuration stems words ("recalled" finds "recalls"); SQLite uses
    # FTS5.
    "default": {"BACKEND": "wagtail.search.backends.database"}
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    WAGTAILSEARCH_BACKENDS["default"]["SEARCH_CONFIG"] = "english"
# Uploads (docs/security.md). Documents are streamed by the app, never a redirect to
# the bare file, and only PDFs open in the browser: every other type is a download,
# sandboxed (newsroom/news/documents.py). Images must decode with Pillow; SVG is not
# an image here (it can carry script), only a document, so a download.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAILIMAGES_IMAGE_FORM_BASE = "newsroom.news.forms.NewsImageForm"
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False
WAGTAILEMBEDS_RESPONSIVE_HTML = True
WAGTAIL_I18N_ENABLED = False
TAGGIT_CASE_INSENSITIVE = True
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

NEWSROOM_ARTICLES_PER_PAGE = env.int("NEWSROOM_ARTICLES_PER_PAGE", default=12)
# The scheduler runs publish_scheduled this often; editors are warned when it is late.
NEWSROOM_SCHEDULER_INTERVAL = env.int("NEWSROOM_SCHEDULER_INTERVAL", default=30)

# Wire feeds (newsroom.wire): how long a feed or photo may take to answer (seconds,
# between bytes) and how large it may be; a larger answer is refused.
NEWSROOM_WIRE_TIMEOUT = env.float("NEWSROOM_WIRE_TIMEOUT", default=15.0)
NEWSROOM_WIRE_MAX_BYTES = env.int("NEWSROOM_WIRE_MAX_BYTES", default=10 * 1024 * 1024)
# Whether a feed or photo may be fetched from a loopback, private or link-local
# address (an agency on the publisher's own network, the demo's sample feed). Off
# unless the database is the embedded SQLite: otherwise an editor's feed address
# could reach the servers' internal services.
NEWSROOM_WIRE_ALLOW_PRIVATE = env.bool(
    "NEWSROOM_WIRE_ALLOW_PRIVATE", default=not env("DATABASE_URL", default="")
)

# Trending (newsroom.trending). NEWSROOM_TRENDING_COUNT_READS=false stops counting
# reads (the lists then rank by comments alone). Without REDIS_URL each app process
# flushes its read counts to the database every NEWSROOM_TRENDING_FLUSH seconds (0:
# only when asked);
# with Redis the scheduler flushes on every pass. The lists are recomputed every
# NEWSROOM_TRENDING_INTERVAL seconds; a read's weight halves every
# NEWSROOM_TRENDING_HALF_LIFE hours.
NEWSROOM_TRENDING_COUNT_READS = env.bool("NEWSROOM_TRENDING_COUNT_READS", default=True)
NEWSROOM_TRENDING_FLUSH = env.int("NEWSROOM_TRENDING_FLUSH", default=30)
NEWSROOM_TRENDING_INTERVAL = env.int("NEWSROOM_TRENDING_INTERVAL", default=300)
NEWSROOM_TRENDING_HALF_LIFE = env.float("NEWSROOM_TRENDING_HALF_LIFE", default=6.0)

# Coordinated voting (newsroom.moderation.rings; docs/configuration.md): at least
# NEWSROOM_VOTE_RING_ACCOUNTS accounts (0: the rule is off) voting one comment the
# same way within NEWSROOM_VOTE_RING_MINUTES, all younger than
# NEWSROOM_VOTE_RING_NEW_ACCOUNT_DAYS, or all on one network (the address's first
# NEWSROOM_VOTE_NETWORK_IPV4_PREFIX / _IPV6_PREFIX bits), or all with one browser
# (User-Agent) and created within NEWSROOM_VOTE_RING_JOINED_HOURS of each other (0:
# the browser alone), are flagged to moderators. A vote keeps keyed hashes of its
# network and browser for NEWSROOM_VOTE_SIGNALS_DAYS.
NEWSROOM_VOTE_RING_ACCOUNTS = env.int("NEWSROOM_VOTE_RING_ACCOUNTS", default=5)
NEWSROOM_VOTE_RING_MINUTES = env.int("NEWSROOM_VOTE_RING_MINUTES", default=10)
NEWSROOM_VOTE_RING_NEW_ACCOUNT_DAYS = env.int(
    "NEWSROOM_VOTE_RING_NEW_ACCOUNT_DAYS", default=7
)
NEWSROOM_VOTE_RING_JOINED_HOURS = env.int("NEWSROOM_VOTE_RING_JOINED_HOURS", default=24)
NEWSROOM_VOTE_NETWORK_IPV4_PREFIX = env.int(
    "NEWSROOM_VOTE_NETWORK_IPV4_PREFIX", default=24
)
NEWSROOM_VOTE_NETWORK_IPV6_PREFIX = env.int(
    "NEWSROOM_VOTE_NETWORK_IPV6_PREFIX", default=48
)
NEWSROOM_VOTE_SIGNALS_DAYS = env.int("NEWSROOM_VOTE_SIGNALS_DAYS", default=7)

# The JSON API (newsroom.api): requests per client, as "<n>/<s|min|h|d>"; anonymous
# clients are told apart by address, signed-in ones by reader or token.
NEWSROOM_API_RATE_ANONYMOUS = env("NEWSROOM_API_RATE_ANONYMOUS", default="120/min")
NEWSROOM_API_RATE_SIGNED_IN = env("NEWSROOM_API_RATE_SIGNED_IN", default="300/min")

# News alerts and notification emails (newsroom.alerts). Sending is batched and paced:
# at most NEWSROOM_ALERTS_RATE messages a second per worker (0: as fast as the mail
# server takes them), NEWSROOM_ALERTS_BATCH per claim. A claimed message not reported
# sent within NEWSROOM_ALERTS_LEASE seconds is queued again (its worker died).
NEWSROOM_ALERTS_RATE = env.float("NEWSROOM_ALERTS_RATE", default=0)
NEWSROOM_ALERTS_BATCH = env.int("NEWSROOM_ALERTS_BATCH", default=100)
NEWSROOM_ALERTS_LEASE = env.int("NEWSROOM_ALERTS_LEASE", default=300)
NEWSROOM_ALERTS_MAX_ATTEMPTS = env.int("NEWSROOM_ALERTS_MAX_ATTEMPTS", default=4)
NEWSROOM_ALERTS_RETRY_AFTER = env.int("NEWSROOM_ALERTS_RETRY_AFTER", default=60)
NEWSROOM_ALERTS_PAUSE_AFTER = env.int("NEWSROOM_ALERTS_PAUSE_AFTER", default=3)
# Where List-Unsubscribe's mailto points; see docs/configuration.md for the pipe.
NEWSROOM_ALERTS_UNSUBSCRIBE_EMAIL = env("NEWSROOM_ALERTS_UNSUBSCRIBE_EMAIL", default="")
NEWSROOM_NOTIFICATION_SUMMARY_HOUR = env.int(
    "NEWSROOM_NOTIFICATION_SUMMARY_HOUR", default=8
)

# Shared pages and the page cache (newsroom.edge; docs/caching.md). A shared page is
# fresh for NEWSROOM_SHARED_MAX_AGE seconds in any cache, then served stale for up to
# NEWSROOM_SHARED_GRACE more while one request renders it afresh; purges drop it at
# once. NEWSROOM_PAGE_CACHE: auto (Redis with REDIS_URL, else each process's memory),
# local, redis or off (a front cache does the work); `manage.py check` reports any
# other value (newsroom/edge/checks.py), which meanwhile works as auto.
NEWSROOM_SHARED_MAX_AGE = env.int("NEWSROOM_SHARED_MAX_AGE", default=5)
NEWSROOM_SHARED_GRACE = env.int("NEWSROOM_SHARED_GRACE", default=60)
NEWSROOM_PAGE_CACHE = env("NEWSROOM_PAGE_CACHE", default="auto")
NEWSROOM_PAGE_CACHE_MB = env.int("NEWSROOM_PAGE_CACHE_MB", default=32)
# The response header naming a shared page's surrogate keys: xkey for Varnish,
# Surrogate-Key for Fastly, Cache-Tag for Cloudflare.
NEWSROOM_SURROGATE_HEADER = env("NEWSROOM_SURROGATE_HEADER", default="xkey")
# Varnish servers to purge by key (comma separated), e.g. http://127.0.0.1:6081.
NEWSROOM_VARNISH_URLS = env.list("NEWSROOM_VARNISH_URLS", default=[])
# Threads per app process running Django for pages (the edge's pool).
NEWSROOM_THREADS = env.int("NEWSROOM_THREADS", default=8)

# Importing discussions in the admin (newsroom.interchange): the largest export an
# editor may upload, in bytes (the command line reads files of any size).
NEWSROOM_IMPORT_MAX_BYTES = env.int("NEWSROOM_IMPORT_MAX_BYTES", default=1 << 30)
