"""Production: base plus the hardening that `manage.py check --deploy` asks for."""

from config.env import env_bool, env_int
from config.settings.base import *  # noqa: F403

# Behind a proxy that terminates TLS, Django sees plain HTTP: trust the proxy's
# X-Forwarded-Proto (it must overwrite the client's) or every request would redirect forever.
# Served directly over HTTPS, set TRUST_X_FORWARDED_PROTO=false so a client cannot claim HTTPS.
if env_bool("TRUST_X_FORWARDED_PROTO", default=True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Off only when the proxy itself redirects HTTP to HTTPS; check --deploy then takes its word.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
if not SECURE_SSL_REDIRECT:
    SILENCED_SYSTEM_CHECKS = ["security.W008"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
