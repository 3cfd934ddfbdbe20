"""The security policy (安全策略) as the rest of the system reads it."""

from datetime import timedelta

from yimen.core.models import SecurityPolicy


def current_policy() -> SecurityPolicy:
    policy, _ = SecurityPolicy.objects.get_or_create(id=1)
    return policy


def failure_limit(request, credentials) -> int:
    """django-axes: failures in a row before the account locks."""
    return current_policy().failure_limit


def cool_off(request) -> timedelta:
    """django-axes: how long a locked account stays locked."""
    return timedelta(minutes=current_policy().lockout_minutes)
