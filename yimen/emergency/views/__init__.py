"""Pages of emergency command and the 快警站."""

from collections.abc import Callable
from typing import Any

from django.http import HttpResponse

from yimen.core.errors import DomainError
from yimen.core.forms import add_service_errors


def submitted(
    form, act: Callable[[], Any], *, done: Callable[[Any], HttpResponse], again: Callable[[], HttpResponse]
) -> HttpResponse:
    """One form post: a valid form calls its service (`act`) and goes on (`done`, with what the
    service made); a refusal lands on the form's fields and the page is shown again with what was
    typed (`again`, a 422)."""
    if form.is_valid():
        try:
            made = act()
        except DomainError as refused:
            add_service_errors(form, refused)
        else:
            return done(made)
    return again()
