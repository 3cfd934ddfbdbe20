"""Yimen settings. Every value comes from the environment (README lists them); defaults fit one PC."""

from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from yimen.env import env_bool, env_int, env_rate, env_str, local_secret

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("YIMEN_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("YIMEN_DEBUG", "false")
PRODUCTION = env_bool("YIMEN_PRODUCTION", "false")
SECRET_KEY = env_str("YIMEN_SECRET_KEY", "") or local_secret(VAR_DIR, "secret_key", production=PRODUCTION)
# Keys for SM4 field encryption and the HMAC-SM3 audit chain (random, generated on first run).
YIMEN_AUDIT_KEY = env_str("YIMEN_AUDIT_KEY", "") or local_secret(VAR_DIR, "audit_key", production=PRODUCTION)
YIMEN_FIELD_KEY = env_str("YIMEN_FIELD_KEY", "") or local_secret(VAR_DIR, "field_key", production=PRODUCTION)
# Not "testserver" (Django's test client): receipts print QR links from the request's host.
ALLOWED_HOSTS = [h for h in env_str("YIMEN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in env_str("YIMEN_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "ninja",
    "huey.contrib.djhuey",
    "yimen.core",
    "yimen.geo",
    "yimen.org",
    "yimen.people",
    "yimen.cases",
    "yimen.mediation",
    "yimen.petitions",
    "yimen.legal",
    "yimen.fieldwork",
    "yimen.points",
    "yimen.citizens",
    "yimen.emergency",
    "yimen.smart",
    "yimen.insight",
    "yimen.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "yimen.core.ratelimit.RateLimitMiddleware",
    "yimen.core.middleware.MethodGuardMiddleware",
    "yimen.core.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "yimen.org.idle.IdleTimeoutMiddleware",
    "yimen.org.middleware.MemberMiddleware",
    "yimen.org.middleware.SecondFactorMiddleware",
    "yimen.core.replica.ReplicaMiddleware",
    "yimen.core.middleware.DomainErrorPageMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "yimen.urls"
WSGI_APPLICATION = "yimen.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "yimen" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yimen.org.context_processors.menu",
            ],
        },
    },
]

DATABASES = {"default": dj_database_url.parse(env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'yimen.sqlite3'}"))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at BEGIN so
    # two writers queue instead of failing half-way with "database is locked". A writer waits
    # up to 30 s for its turn (the driver's timeout and the pragma alike): on a loaded machine
    # five seconds of queue were reached, and a slow answer beats a lost write.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
else:
    # The test database needs a UTF-8 locale (pg_trgm extracts nothing from Chinese under C).
    DATABASES["default"]["TEST"] = {"TEMPLATE": "template0", "CHARSET": "UTF8"}
    # Yimen's queries are short: PostgreSQL's JIT spent 90–250 ms compiling plans that run in
    # 10 ms (the inbox counts, the dashboard panels at a million cases), so it is off per session.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A PostgreSQL streaming replica the reports and dashboards read from (README "Scaling out";
# yimen/core/replica.py keeps every member's own writes visible to them).
YIMEN_REPLICA_URL = env_str("YIMEN_REPLICA_URL", "")
if YIMEN_REPLICA_URL:
    DATABASES["replica"] = {
        **dj_database_url.parse(YIMEN_REPLICA_URL),
        "OPTIONS": DATABASES["default"].get("OPTIONS", {}),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["yimen.core.replica.ReplicaRouter"]
YIMEN_REPLICA_PATHS = ("/dashboard/", "/display/", "/api/v1/kpis", "/public/rankings", "/api/v1/public/rankings")
YIMEN_REPLICA_STICKY = env_int("YIMEN_REPLICA_STICKY", 10)  # seconds a writer reads from the primary

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
    HUEY = {"huey_class": "huey.RedisHuey", "name": "yimen", "url": REDIS_URL, "immediate": False}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "yimen",
        "filename": str(VAR_DIR / "tasks.sqlite3"),
        "immediate": False,
    }

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "yimen.core.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "yimen.core.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# 等保 level 3: an idle session ends after the security policy's idle minutes. What counts as
# activity is decided in yimen/org/idle.py (a page's own polling does not), so a session is saved
# when it changes, never just because a request came in. Sessions are kept server-side (so they
# can be ended) under a digest of their key: see yimen/core/sessions.py for why not signed cookies.
SESSION_ENGINE = "yimen.core.sessions"
SESSION_COOKIE_AGE = 1800  # sessions without a login only; a login's session follows the policy
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
# Production runs behind HTTPS: its cookies are Secure whatever YIMEN_SECURE_COOKIES says, and
# browsers are told (HSTS, sent only on HTTPS answers) to use nothing else for a year. HSTS stays
# off subdomains and out of the preload list, which a host cannot easily leave again.
SECURE_COOKIES = env_bool("YIMEN_SECURE_COOKIES", "false") or PRODUCTION
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_HSTS_SECONDS = env_int("YIMEN_HSTS_SECONDS", 365 * 24 * 3600 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
SECURE_HSTS_PRELOAD = False
# API tokens live as long as the security policy's token_hours says (SecurityPolicy, /security/).

# Rate limits per client address, (requests, seconds) in one fixed window (yimen/core/ratelimit.py):
# the citizen's doors under /public/ and logins. An account is locked by django-axes below; the
# address limit on logins is only a generous ceiling, as a whole township office shares one NAT address.
YIMEN_RATE_PUBLIC = env_rate("YIMEN_RATE_PUBLIC", "60/60")
YIMEN_RATE_LOGIN = env_rate("YIMEN_RATE_LOGIN", "100/600")
# The SMS gateway's delivery reports: one per message sent, so a big anti-fraud alert brings
# thousands a minute from one address; a forged flood is still bounded.
YIMEN_RATE_GATEWAY = env_rate("YIMEN_RATE_GATEWAY", "6000/60")

# Lockout (django-axes): the numbers come from the security policy the secadmin sets.
AXES_FAILURE_LIMIT = "yimen.core.security.failure_limit"
AXES_COOLOFF_TIME = "yimen.core.security.cool_off"
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "yimen.org.views.auth.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# The rule locks the account, not the address: a township office sits behind one NAT address,
# and locking it would lock out every clerk in the building.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# The second factor (django-otp TOTP): the issuer names the account in the authenticator app.
OTP_TOTP_ISSUER = "一门综治中心"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
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
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
NODE_MODULES = BASE_DIR / "node_modules"
# The phone app's service worker loads these Workbox builds from our own static files, never a CDN.
FIELDWORK_WORKBOX = ("workbox-sw", "workbox-core", "workbox-routing", "workbox-strategies", "workbox-precaching")
STATICFILES_DIRS = [
    BASE_DIR / "yimen" / "static",
    ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/leaflet", NODE_MODULES / "leaflet" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/dexie", NODE_MODULES / "dexie" / "dist"),
    *((f"vendor/{name}", NODE_MODULES / name / "build") for name in FIELDWORK_WORKBOX),
]
# Uploads are sealed with SM4 at rest (yimen/core/storage.py) and, like every file Yimen writes,
# readable by its owner only: Django would chmod them 0644 after the umask had done its work.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": {"BACKEND": "yimen.core.storage.SealedFileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MANIFEST_STRICT = False

# manage.py backup and the nightly job write here, and keep the newest YIMEN_BACKUP_KEEP backups.
# The keys are never inside a backup: README "Backups" says where the operator keeps them.
YIMEN_BACKUP_DIR = Path(env_str("YIMEN_BACKUP_DIR", str(VAR_DIR / "backups")))
YIMEN_BACKUP_KEEP = env_int("YIMEN_BACKUP_KEEP", 14)
if YIMEN_BACKUP_KEEP < 1:
    raise ImproperlyConfigured(f"YIMEN_BACKUP_KEEP must be at least 1, not {YIMEN_BACKUP_KEEP}")

NINJA_PAGINATION_PER_PAGE = 50
# A CJK TrueType font embedded in generated PDFs (Debian's fonts-wqy-microhei, installed by make).
YIMEN_CJK_FONT = env_str("YIMEN_CJK_FONT", "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
YIMEN_DEMO_PASSWORD = env_str("YIMEN_DEMO_PASSWORD", "Yimen@2026")
# The TOTP key (base32) seed_demo gives the demo accounts that need the second factor.
YIMEN_DEMO_TOTP_SECRET = env_str("YIMEN_DEMO_TOTP_SECRET", "YIMENDEMOCAIWANZHENQUANZHOUXIANX")
# 十户联防 alerts go out through this notifier (dotted path to a class with send(to_phone, message)).
YIMEN_NOTIFIER = env_str("YIMEN_NOTIFIER", "yimen.fieldwork.notify.DatabaseLogNotifier")
# Citizens' SMS codes (issue 19): the gateway class; the demo (YIMEN_DEMO, set by `make demo`)
# shows the database-log outbox at /api/v1/demo/outbox. Sends per phone and per address.
YIMEN_SMS = env_str("YIMEN_SMS", "yimen.citizens.sms.DatabaseLogSms")
YIMEN_DEMO = env_bool("YIMEN_DEMO", "false")
YIMEN_SMS_CODE_MINUTES = env_int("YIMEN_SMS_CODE_MINUTES", 10)
# The scheduled 12345 file-drop exchange (issue 19 part 4, docs/citizens.md): the shared folder
# (inbox/ and outbox/ under it; empty = off), how often in minutes (a divisor of 1440: 60 hourly,
# 1440 nightly at 00:00 Beijing time), and the centre account that registers the tickets.
YIMEN_HOTLINE_DROP_DIR = env_str("YIMEN_HOTLINE_DROP_DIR", "")
YIMEN_HOTLINE_INTERVAL_MINUTES = env_int("YIMEN_HOTLINE_INTERVAL_MINUTES", 60)
YIMEN_HOTLINE_ACTOR = env_str("YIMEN_HOTLINE_ACTOR", "")
YIMEN_RATE_SMS_PHONE = env_rate("YIMEN_RATE_SMS_PHONE", "5/3600")
YIMEN_RATE_SMS_IP = env_rate("YIMEN_RATE_SMS_IP", "30/3600")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Django logs the path of every 4xx/5xx ("Not Found: /public/cases/<token>/"): tokens masked.
    "filters": {"mask_tokens": {"()": "yimen.core.logmask.MaskPublicTokens"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["mask_tokens"]}},
    "root": {"handlers": ["console"], "level": env_str("YIMEN_LOG_LEVEL", "WARNING")},
    # runserver's request lines, through the same masking handler.
    "loggers": {"django.server": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
