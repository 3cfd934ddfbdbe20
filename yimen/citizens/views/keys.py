"""Open311 接口密钥 page: the dispatcher or leader issues a key to a partner platform (shown
once) and revokes it (services.keys); the list shows who holds one and when it was last used."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_http_methods, require_POST

from yimen.citizens import selectors, services
from yimen.citizens.services.keys import PERM
from yimen.core.errors import DomainError
from yimen.core.forms import BootstrapBoundField, add_service_errors
from yimen.core.permissions import member_required


class KeyForm(forms.Form):
    bound_field_class = BootstrapBoundField
    name = forms.CharField(label="使用方", max_length=60, help_text="例如：县 12345 政务服务便民热线平台")


@member_required(PERM)
@require_http_methods(["GET", "POST"])
def key_list(request):
    form, issued, status = KeyForm(request.POST or None), None, 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                _, issued = services.open311_key_issue(
                    actor=request.member, ip=request.META.get("REMOTE_ADDR", ""), **form.cleaned_data
                )
            except DomainError as exc:
                add_service_errors(form, exc)
            else:
                form, status = KeyForm(), 201
    context = {"form": form, "issued": issued, "keys": selectors.open311_keys()}
    response = TemplateResponse(request, "citizens/open311_keys.html", context, status=status)
    response["Cache-Control"] = "no-store, private"
    return response


@member_required(PERM)
@require_POST
def key_revoke(request, key_id: int):
    key = get_object_or_404(selectors.open311_keys(), pk=key_id)
    services.open311_key_revoke(actor=request.member, key=key, ip=request.META.get("REMOTE_ADDR", ""))
    messages.success(request, f"已吊销“{key.name}”的接口密钥，其后的请求将被拒绝。")
    return redirect("citizens:open311_keys")
