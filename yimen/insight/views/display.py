"""大屏令牌 pages: the leader's list of display grants (issue and revoke), and the hall screen
opened with one — no login, read-only, the issuer's seat's view of the screen and nothing else.

The token is typed into a form once (POST, so it is in no URL and no access log); the screen's
session then holds the grant, checked again on every refresh, until the token expires or is
revoked."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from yimen.cases.views.common import private
from yimen.core.errors import DomainError
from yimen.core.forms import BootstrapBoundField, add_service_errors
from yimen.core.permissions import member_required, public
from yimen.geo.views import features_response
from yimen.insight import selectors
from yimen.insight.services import display as services
from yimen.insight.views.dashboard import board_data, screen_page
from yimen.org.views.auth import client_ip

SESSION_GRANT = "yimen_display_token"


class IssueForm(forms.Form):
    bound_field_class = BootstrapBoundField
    label = forms.CharField(label="名称", max_length=50, help_text="例如：指挥中心大厅大屏")
    days = forms.IntegerField(label="有效期（天）", min_value=1, max_value=services.MAX_DAYS, initial=30)


class OpenForm(forms.Form):
    bound_field_class = BootstrapBoundField
    token = forms.CharField(label="大屏令牌", max_length=100)


@member_required("display.issue")
@require_http_methods(["GET", "POST"])
def token_list(request):
    form, issued, status = IssueForm(request.POST or None), None, 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                _, issued = services.display_token_issue(actor=request.member, **form.cleaned_data)
            except DomainError as exc:
                add_service_errors(form, exc)
            else:
                form, status = IssueForm(), 201
    tokens = selectors.display_tokens_of_unit(request.member)
    context = {"form": form, "issued": issued, "tokens": tokens, "now": timezone.now()}
    return private(TemplateResponse(request, "insight/display_tokens.html", context, status=status))


@member_required("display.issue")
@require_POST
def token_revoke(request, token_id: int):
    token = get_object_or_404(selectors.display_tokens_of_unit(request.member), pk=token_id)
    services.display_token_revoke(actor=request.member, token=token)
    messages.success(request, f"已吊销大屏令牌“{token.label}”，使用它的大屏将在下次刷新时退出。")
    return redirect("insight:display_tokens")


@public
@require_http_methods(["GET", "POST"])
def display_open(request):
    form, status = OpenForm(request.POST or None), 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                token = services.display_open(raw=form.cleaned_data["token"].strip(), ip=client_ip(request))
            except DomainError as exc:
                add_service_errors(form, exc)
            else:
                request.session.cycle_key()
                request.session[SESSION_GRANT] = token.pk
                request.session.set_expiry(token.expires_at)
                return redirect("insight:display_screen")
    return private(TemplateResponse(request, "insight/display_open.html", {"form": form}, status=status))


def _grant(request):
    grant = selectors.display_grant(request.session.get(SESSION_GRANT))
    if grant is None and SESSION_GRANT in request.session:
        del request.session[SESSION_GRANT]
        messages.info(request, "大屏令牌已过期或已被吊销，请重新输入。")
    return grant


@public
def display_screen(request):
    grant = _grant(request)
    if grant is None:
        return redirect("insight:display_open")
    return screen_page(
        request, grant.member, data_name="insight:display_data", features_name="insight:display_features", display=True
    )


@public
def display_data(request):
    # No grant: a redirect, which the screen's script answers by reloading onto the token form.
    grant = _grant(request)
    return board_data(request, grant.member) if grant else redirect("insight:display_open")


@public
def display_features(request):
    grant = _grant(request)
    return features_response(request, grant.member) if grant else redirect("insight:display_open")
