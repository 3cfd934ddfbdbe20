"""Bench set-up: a throwaway database under var/bench/ (or $DATABASE_URL) with the demo town."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("YIMEN_VAR_DIR", str(ROOT / "var" / "bench"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yimen.settings_test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def demo_town():
    from yimen.demo.town import build_demo_town

    return build_demo_town()


def signed_in(user):
    """A test client signed in as `user`, past the second factor as after a real sign-in (the
    policy asks reveal seats such as the police for it, and the pages send them to /accounts/otp/)."""
    from django.conf import settings
    from django.test import Client

    from yimen.org.otp import SESSION_VERIFIED

    client = Client()
    client.force_login(user)
    session = client.session
    session[SESSION_VERIFIED] = True
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client
