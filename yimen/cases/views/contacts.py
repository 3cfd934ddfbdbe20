"""查看当事人联系方式 on the case page: the assigned unit's handler states why and sees the
party's full phone once, in this answer only (no-store), with a tap-to-call link; the purpose is
in the audit log before the number leaves the server."""

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from yimen.cases import selectors, services
from yimen.core.errors import DomainError
from yimen.core.forms import add_service_errors
from yimen.core.permissions import member_required
from yimen.people.forms import RevealForm

from .common import private


@member_required("case.view")
@require_POST
def party_reveal(request: HttpRequest, code: str, index: int) -> HttpResponse:
    member = request.member
    case = selectors.case_get_visible(member=member, code=code)
    form = RevealForm(request.POST, prefix=f"party{index}", auto_id=f"party{index}-%s")
    revealed = None
    if form.is_valid():
        try:
            purpose, ip = form.cleaned_data["purpose"], request.META.get("REMOTE_ADDR", "")
            revealed = services.case_party_reveal(case=case, actor=member, index=index, purpose=purpose, ip=ip)
        except DomainError as exc:
            if exc.status != 422:
                raise
            add_service_errors(form, exc)
    context = {"case": case, "index": index, "form": form, "revealed": revealed}
    # 200 either way for htmx (it swaps no 4xx answer, and the form must show its error).
    status = 200 if revealed or request.htmx else 422
    return private(TemplateResponse(request, "cases/_party_reveal.html", context, status=status))
