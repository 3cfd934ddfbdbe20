"""Smart fixtures: every persona seated in the test town, and closed cases of a category (the
history the suggester learns from)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import PERSONAS
from yimen.cases.models import Case
from yimen.cases.tests.conftest import GRID, OTHER_GRID, register

__all__ = ["GRID", "OTHER_GRID", "closed", "register"]


@pytest.fixture
def seats(persona):
    return {name: persona(name) for name in PERSONAS}


def closed(actor, *, category: str, title: str, description: str = "", days_ago: int = 30, **fields) -> Case:
    """A case of `category` registered by `actor` and closed (its category confirmed)."""
    received = timezone.now() - timedelta(days=days_ago)
    case = register(actor, title=title, description=description, category=category, received_at=received, **fields)
    Case.objects.filter(pk=case.pk).update(state=Case.State.CLOSED, closed_at=received + timedelta(days=5))
    case.refresh_from_db()
    return case
