"""Test settings: the production settings with tasks run inline and static files from finders."""

from yimen.settings import *  # noqa: F403
from yimen.settings import ALLOWED_HOSTS, HUEY, STATIC_ROOT, STORAGES

HUEY = {**HUEY, "immediate": True}
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
# Argon2 costs ~50 ms a hash by design; the suite creates hundreds of users. One test checks argon2.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", "django.contrib.auth.hashers.Argon2PasswordHasher"]
# Django's test client calls itself "testserver"; the default hosts leave it out (receipt links).
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns about a missing directory
