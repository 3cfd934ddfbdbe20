"""Citizens' fixtures: the outbox read back as the citizen's phone would, and the case fixtures
of the case engine's tests."""

import re

import pytest

from yimen.cases.tests.conftest import case_in, register  # noqa: F401  (re-exported for the tests)
from yimen.citizens.models import SmsMessage
from yimen.core.crypto import blind_index
from yimen.fieldwork.tests.conftest import IN_CAIWAN, jpeg  # noqa: F401

PHONE = "13907730001"  # the applicant of the case fixtures
CITIZEN = "13807735678"


@pytest.fixture
def seats(persona):
    from conftest import PERSONAS

    return {name: persona(name) for name in PERSONAS}


def last_code(phone: str) -> str:
    """The code in the newest message to this phone (what the citizen reads off the SMS)."""
    message = SmsMessage.objects.filter(to_phone_index=blind_index(phone)).first()
    return re.search(r"验证码 (\d{6})", message.message).group(1)


@pytest.fixture
def worker(persona):
    """才湾村's grid worker (and so the town's units, which a report is filed under)."""
    return persona("gridworker")
