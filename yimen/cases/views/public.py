"""The citizen's progress page (/public/cases/{public_token}/, no login): the code, the state and
the steps (when, what, which unit) with no personal data; a rating once the case is closed."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods

from yimen.cases import selectors, services
from yimen.cases.forms import RatingForm
from yimen.cases.models import Case
from yimen.core.errors import DomainError
from yimen.core.forms import add_service_errors
from yimen.core.permissions import public

from .common import private


@public
@require_http_methods(["GET", "POST"])
def public_case(request: HttpRequest, token: str) -> HttpResponse:
    try:
        case = selectors.public_case_get(token=token)
    except Http404:
        return private(TemplateResponse(request, "cases/public_missing.html", status=404))
    form, status = RatingForm(request.POST or None), 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.case_rate_public(token=token, **form.cleaned_data)
            except DomainError as exc:
                add_service_errors(form, exc)
                status = exc.status
            else:
                messages.success(request, "感谢您的评价！")
                return redirect(request.path)
    context = {
        "case": case,
        "steps": selectors.public_steps(case=case),
        "state_label": selectors.public_state_label(case),
        "answer": selectors.public_answer(case=case),
        "clocks": selectors.public_clocks(case=case),
        "can_rate": case.public_rating_open,
        "done": case.state in Case.DONE,
        "form": form,
    }
    return private(TemplateResponse(request, "cases/public.html", context, status=status))
