"""The security administrator's (安全管理员) page: the security policy (三员分立)."""

from django.contrib import messages
from django.shortcuts import redirect, render

from yimen.core import services
from yimen.core.errors import DomainError
from yimen.core.forms import SecurityPolicyForm, add_service_errors
from yimen.core.permissions import member_required
from yimen.core.security import current_policy


@member_required("security.manage")
def security_policy(request):
    policy = current_policy()
    names = (*services.SECURITY_POLICY_RANGES, *services.SECURITY_POLICY_SWITCHES)
    initial = {name: getattr(policy, name) for name in names}
    form = SecurityPolicyForm(request.POST or None, initial={**initial, "version": policy.version})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.security_policy_update(
                    actor=request.member, ip=request.META.get("REMOTE_ADDR", ""), **form.cleaned_data
                )
            except DomainError as exc:
                add_service_errors(form, exc)
                status = exc.status
            else:
                messages.success(request, "安全策略已保存，立即生效。")
                return redirect("core:security_policy")
        else:
            status = 422
    return render(request, "core/security.html", {"form": form, "policy": policy}, status=status)
