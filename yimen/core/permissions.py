"""Who may do what: one check for services, one decorator for pages.

Every page view declares the permission it needs (`member_required`); the permission matrix
test walks the URL resolver and fails on any view that declares none."""

from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from yimen.core.errors import NotAllowed


def require_permission(member: Any, perm: str) -> None:
    if member is None or not member.has_perm(perm):
        raise NotAllowed("您的角色无权进行此操作。", code="forbidden")


def member_required(perm: str | None):
    """Page guard: log in first, then hold `perm` (None: any logged-in member)."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            member = getattr(request, "member", None)
            if member is None or (perm and not member.has_perm(perm)):
                return render(request, "403.html", {"perm": perm}, status=403)
            return view(request, *args, **kwargs)

        guarded.required_perm = perm or "member"
        return guarded

    return decorate


def public(view):
    """Mark a page that needs no login (login page, citizen lookup)."""
    view.required_perm = "public"
    return view
