"""The security policy (安全策略) as the rest of the system reads it.

Every request reads it (idle timeout), so it is cached briefly; the update service clears the
cache on commit, and other processes see a change within CACHE_SECONDS."""

from datetime import timedelta

from django.core.cache import cache

from yimen.core.models import SecurityPolicy

CACHE_KEY = "yimen:security_policy"
CACHE_SECONDS = 10


def current_policy(*, fresh: bool = False) -> SecurityPolicy:
    policy = None if fresh else cache.get(CACHE_KEY)
    if policy is None:
        policy, _ = SecurityPolicy.objects.get_or_create(id=1)
        cache.set(CACHE_KEY, policy, CACHE_SECONDS)
    return policy


def forget_policy() -> None:
    cache.delete(CACHE_KEY)


def failure_limit(request, credentials) -> int:
    """django-axes: failures in a row before the account locks."""
    return current_policy().failure_limit


def cool_off(request) -> timedelta:
    """django-axes: how long a locked account stays locked."""
    return timedelta(minutes=current_policy().lockout_minutes)
