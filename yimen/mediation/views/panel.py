"""The mediation panel on the case page (registered with yimen.cases.extensions): the team,
consents, sessions, agreement, court confirmation and performance, and — for the handler or
mediator of the case's lead unit — the forms of the steps the case allows now. The forms post
with htmx to /cases/{code}/mediation/{step}/: a refusal redraws the panel with what was typed
and why; a success reloads the case page (its timeline and 文书 card change too)."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yimen.cases import timeline
from yimen.cases.models import Case
from yimen.cases.rules import may_reveal_party
from yimen.cases.selectors import case_get_visible
from yimen.core.documents import DOCX, PDF, docx_bytes, pdf_bytes
from yimen.core.errors import DomainError
from yimen.core.forms import add_service_errors
from yimen.core.permissions import member_required
from yimen.mediation import forms, selectors, services
from yimen.mediation.models import CourtConfirmation, Mediation, TeamMember
from yimen.mediation.services._base import AFTERWARDS, RECORDING
from yimen.people.forms import RevealForm

# step (the URL's last part) -> (form, service, timeline action)
STEPS = {
    "team": (forms.TeamForm, services.mediation_team_assemble, "mediation_team"),
    "consent": (forms.ConsentForm, services.mediation_consent_record, "mediation_consent"),
    "session": (forms.SessionForm, services.mediation_session_record, "mediation_session"),
    "extend": (forms.ExtendForm, services.mediation_extend, "mediation_extend"),
    "agreement": (forms.AgreementForm, services.mediation_agreement_record, "mediation_agreement"),
    "end": (forms.EndForm, services.mediation_end, "mediation_end"),
    "apply": (forms.ApplyForm, services.court_confirmation_apply, "court_confirmation"),
    "accept": (forms.AcceptForm, services.court_confirmation_accept, "court_accept"),
    "court-extend": (forms.CourtExtendForm, services.court_confirmation_extend, "court_extend"),
    "decision": (forms.DecisionForm, services.court_confirmation_decide, "court_decision"),
    "performance": (forms.PerformanceForm, services.performance_record, "performance_check"),
}
# The court's own steps (人民调解法 art. 33): its handler records them, never the mediating unit.
COURT_STEPS = frozenset({"accept", "court-extend", "decision"})
# 反家庭暴力法: where there is violence the victim's safety comes before any mediation.
VIOLENCE_CATEGORIES = frozenset({"dispute.family.violence"})
# Kinds of matter mediation is offered on before any mediation exists.
MEDIATED_KINDS = frozenset({"dispute", "legal_service"})


@dataclass
class Step:
    name: str
    form: forms.StepForm
    error: str = ""

    @property
    def label(self) -> str:
        return timeline.label(STEPS[self.name][2])

    @property
    def url(self) -> str:
        return reverse("mediation:step", args=[self.form.case.code, self.name])


def available_steps(member, case: Case, mediation: Mediation | None) -> list[str]:
    """The steps this member may take on this case now (the services decide again on POST): the
    mediating lead unit's, or the court's own (accept, extend, decide) for the court applied to."""
    agreement = selectors.one_or_none(mediation, "agreement")
    confirmation = selectors.one_or_none(agreement, "confirmation")
    steps = _court_steps(confirmation) if case.state in AFTERWARDS and court_may_act(member, confirmation) else []
    # Beside the court's steps, the lead unit's: a court may mediate a case itself (诉前调解).
    if not member.has_perm("mediation.record") or case.lead_unit_id != member.unit_id:
        return steps
    if case.state in RECORDING and (mediation is None or not mediation.is_final):
        steps += ["consent", "team", "session", *(["extend"] if mediation else []), "agreement", "end"]
    if agreement is not None and case.state in AFTERWARDS:
        if not agreement.oral and confirmation is None:
            steps.append("apply")
        steps.append("performance")
    return steps


def _court_steps(confirmation: CourtConfirmation) -> list[str]:
    if confirmation.state == CourtConfirmation.State.APPLIED:
        return ["accept"]
    if confirmation.state == CourtConfirmation.State.ACCEPTED:
        return [*([] if confirmation.extended else ["court-extend"]), "decision"]
    return []


def court_may_act(member, confirmation: CourtConfirmation | None) -> bool:
    """A handler of the court the agreement was sent to (court_confirmation_* decide again)."""
    return confirmation is not None and member.has_perm("court.confirm") and confirmation.court_id == member.unit_id


def _may_post(member, case: Case, mediation: Mediation | None, step: str) -> bool:
    if step in COURT_STEPS:
        agreement = selectors.one_or_none(mediation, "agreement")
        return court_may_act(member, selectors.one_or_none(agreement, "confirmation"))
    return member.has_perm("mediation.record") and case.lead_unit_id == member.unit_id


def _mediators(member, case: Case):
    """Active mediators the member's roster shows, those serving the case's area first."""
    rows = selectors.mediators_visible(member).filter(is_active=True).prefetch_related("villages")
    return sorted(
        rows,
        key=lambda m: (
            not (
                case.region_path.startswith(m.region_path)
                or any(case.region_path.startswith(v.path) for v in m.villages.all())
            ),
            m.region_path,
            m.kind,
            m.name,
        ),
    )


def _blank(name: str, case: Case, mediation: Mediation | None, mediators) -> Step:
    form_class = STEPS[name][0]
    return Step(name, form_class(case=case, mediation=mediation, mediators=mediators, auto_id=f"m-{name}-%s"))


def _copies_form(data=None) -> RevealForm:
    return RevealForm(data, prefix="copies", auto_id="copies-%s")


def _render_panel(
    request: HttpRequest, case: Case, failed: Step | None = None, copies: RevealForm | None = None
) -> str:
    member = getattr(request, "member", None)
    if member is None or not member.has_perm("mediation.view"):
        return ""
    mediation = selectors.mediation_for_panel(case)
    names = available_steps(member, case, mediation)
    if mediation is None and not (names and case.kind in MEDIATED_KINDS):
        return ""
    mediators = _mediators(member, case) if names else []
    steps = [failed if failed and failed.name == name else _blank(name, case, mediation, mediators) for name in names]
    if failed and failed.name not in names:  # taken meanwhile by someone else: keep what was typed
        steps.insert(0, failed)
    agreement = selectors.one_or_none(mediation, "agreement")
    roles = {t.role for t in mediation.team.all()} if mediation else set()
    joint = {TeamMember.Role.PEOPLE, TeamMember.Role.ADMINISTRATIVE, TeamMember.Role.JUDICIAL} <= roles
    context = {
        "case": case,
        "mediation": mediation,
        "agreement": agreement,
        "confirmation": selectors.one_or_none(agreement, "confirmation"),
        "joint": joint,
        "steps": steps,
        "failed_step": failed,
        "checked_at": timezone.now(),
        # Mediation is no answer to violence: the panel warns before it offers a step (issue 21 item 8).
        "violence": case.category_id is not None and case.category.code in VIOLENCE_CATEGORIES,
        "agreement_issued": case.documents.filter(kind="agreement").exists()
        if agreement and not agreement.oral
        else False,
    }
    if context["agreement_issued"] and member.has_perm("mediation.record") and may_reveal_party(member, case):
        context["copies_form"] = copies or _copies_form()
    return render_to_string("mediation/_panel.html", context, request=request)


def case_panel(request: HttpRequest, case: Case) -> str:
    return _render_panel(request, case)


@member_required("mediation.record")
@require_POST
def step(request: HttpRequest, code: str, step: str) -> HttpResponse:
    """One mediation step from the case page (POST its fields)."""
    if step not in STEPS:
        raise Http404
    member = request.member
    case = case_get_visible(member=member, code=code)
    mediation = Mediation.objects.filter(case=case).select_related("agreement__confirmation").first()
    if not _may_post(member, case, mediation, step):  # 403 before any field is looked at, as the services do
        perm = "court.confirm" if step in COURT_STEPS else "mediation.record"
        return render(request, "403.html", {"perm": perm}, status=403)
    form_class, service, action = STEPS[step]
    mediators = _mediators(member, case)
    form = form_class(request.POST, case=case, mediation=mediation, mediators=mediators, auto_id=f"m-{step}-%s")
    failed = Step(step, form)
    status = 422
    if form.is_valid():
        try:
            service(case=case, actor=member, **form.payload())
        except DomainError as exc:
            if exc.code == "stale_version":  # redraw on the new version, keeping what was typed
                case.refresh_from_db()
                data = request.POST.copy()
                data["version"] = str(case.version)
                failed.form = form_class(
                    data, case=case, mediation=mediation, mediators=mediators, auto_id=form.auto_id
                )
            else:
                add_service_errors(form, exc)
            failed.error, status = exc.message, exc.status
        else:
            messages.success(request, f"已{timeline.label(action)}：{case.code}")
            target = reverse("cases:detail", args=[case.code])
            if request.htmx:
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
    fresh = case_get_visible(member=member, code=code)
    html = _render_panel(request, fresh, failed=failed)
    if request.htmx:  # htmx swaps only 2xx answers: the refusal is in the panel it redraws
        return HttpResponse(html)
    return TemplateResponse(request, "mediation/step.html", {"case": fresh, "panel": html}, status=status)


# The parties' copies of the written agreement, as PDF or Word.
COPY_FORMATS = {"pdf": (pdf_bytes, PDF, "pdf"), "docx": (docx_bytes, DOCX, "docx")}


@member_required("mediation.record")
@require_POST
def agreement_copies(request: HttpRequest, code: str) -> HttpResponse:
    """协议书（当事人持有）: the parties' copies with their full ID numbers, for signing and for
    司法确认, once the member says why (audited by the service); the case keeps the masked copy."""
    member = request.member
    case = case_get_visible(member=member, code=code)
    form = _copies_form(request.POST)
    render_paper, content_type, ext = COPY_FORMATS.get(request.POST.get("format", ""), COPY_FORMATS["pdf"])
    if form.is_valid():
        ip = request.META.get("REMOTE_ADDR", "")
        try:
            paper = services.agreement_for_parties(case=case, actor=member, purpose=form.cleaned_data["purpose"], ip=ip)
        except DomainError as exc:
            if exc.status != 422:
                raise
            add_service_errors(form, exc)
        else:
            response = HttpResponse(render_paper(paper), content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="agreement-parties-{case.code}.{ext}"'
            return response
    html = _render_panel(request, case, copies=form)
    return TemplateResponse(request, "mediation/step.html", {"case": case, "panel": html}, status=422)
