"""查看当事人联系方式 on the case page: the assigned unit's handler states why and sees the
party's full phone once, in this answer only (no-store), with a tap-to-call link; the purpose is
in the audit log before the number leaves the server."""

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from yimen.cases import page_selectors, selectors, services
from yimen.core.errors import DomainError
from yimen.core.forms import BootstrapBoundField, add_service_errors
from yimen.core.permissions import member_required
from yimen.geo.models import Region
from yimen.people.forms import RevealForm
from yimen.people.services import EDIT_PERMS

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


class PartyRegisterForm(forms.Form):
    """登记到民情档案: the micro-grid the walk-in lives in; the rest was typed at intake."""

    bound_field_class = BootstrapBoundField

    region = forms.ChoiceField(label="居住微网格", error_messages={"required": "请选择居住微网格。"})

    def __init__(self, *args, choices: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "请选择"), *choices]
        self.fields["region"].error_messages["invalid_choice"] = "请从列表中选择居住微网格。"
        if len(choices) == 1:
            self.fields["region"].initial = choices[0][0]


def register_choices(member, case) -> list[tuple[str, str]]:
    """The micro-grids to file the case's parties under, for the members who keep the registry
    (none for the others: no form is drawn)."""
    if not any(member.has_perm(perm) for perm in EDIT_PERMS):
        return []
    return page_selectors.register_microgrids(member=member, case=case)


def register_form(choices, index: int, data=None) -> PartyRegisterForm | None:
    """The form beside a party not yet in the registry."""
    return PartyRegisterForm(data, choices=choices, prefix=f"reg{index}", auto_id=f"reg{index}-%s") if choices else None


@member_required("case.view")
@require_POST
def party_register(request: HttpRequest, code: str, index: int) -> HttpResponse:
    """File the case's party at `index` in the registry and link it (cases.services)."""
    member = request.member
    case = selectors.case_get_visible(member=member, code=code)
    form = register_form(register_choices(member, case), index, request.POST)
    if form is None:
        messages.error(request, "您的角色无权维护实有人口信息。")
        return redirect("cases:detail", code)
    if form.is_valid():
        region = Region.objects.get(code=form.cleaned_data["region"])
        try:
            person = services.case_party_register(case=case, actor=member, index=index, region=region)
        except DomainError as exc:
            details = "；".join(message for messages_ in exc.errors.values() for message in messages_)
            messages.error(request, f"{exc.message} {details}".strip())
        else:
            messages.success(request, f"已登记到民情档案：{person.name}（编号 {person.pk}）。")
    else:
        messages.error(request, " ".join(form.errors["region"]))
    return redirect("cases:detail", code)
