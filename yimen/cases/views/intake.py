"""The intake desk (受理登记, /cases/new/): a clerk registers a walk-in in under a minute. The
region picker, category list, person autocomplete and duplicate hints are htmx fragments."""

import uuid

from django.contrib import messages
from django.forms import BaseFormSet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from yimen.cases import catalogue, page_selectors, services
from yimen.cases.extensions import HintDraft, intake_hint_blocks
from yimen.cases.forms import IntakeForm, PartyForm, PartyFormSet, now_minute
from yimen.cases.models import CatalogueRow, Kind, Party
from yimen.core.errors import DomainError
from yimen.core.permissions import member_required
from yimen.core.schemas import parse_id
from yimen.geo.selectors import map_levels, region_home, region_locate_visible
from yimen.org.models import Membership
from yimen.org.selectors import units_list
from yimen.people.selectors import person_search

from .common import private

SUGGESTIONS = 8
LOCATE_ORDER = ("microgrid", "grid", "village", "town")
PARTY_ROLES = [{"role": Party.Role.APPLICANT}, {"role": Party.Role.RESPONDENT}]


def _category_groups(kind: str) -> tuple[list[tuple[str, list[CatalogueRow]]], CatalogueRow | None]:
    """The current catalogue's rows of a kind by group, in catalogue order, and the kind's default."""
    groups: dict[str, list[CatalogueRow]] = {}
    default = None
    for row in catalogue.catalogue_rows(kind=kind):
        row.spoken = catalogue.spoken_words(row)
        groups.setdefault(row.group, []).append(row)
        default = row if row.is_default else default
    return list(groups.items()), default


def _category_context(kind: str, selected: str = "", errors=()) -> dict:
    groups, default = _category_groups(kind if kind in Kind.values else Kind.DISPUTE)
    return {
        "category_groups": groups,
        "category_default": default,
        "category_selected": selected,
        "category_errors": errors,
    }


def _picker_context(
    member: Membership, code: str = "", *, lat=None, lng=None, located: str = "", error: str = ""
) -> dict:
    picker = page_selectors.region_picker(member=member, code=code)
    return {"picker": picker, "lat": lat, "lng": lng, "located": located, "picker_error": error}


def _page(
    request: HttpRequest, form: IntakeForm, parties: BaseFormSet, *, party_errors=(), error: str = "", status: int = 200
) -> HttpResponse:
    member = request.member
    value = form["region"].value() or member.jurisdiction.code
    home = member.jurisdiction
    start = map_levels(member=member, region=home)[1] if member.has_perm("map.view") else None
    context = {
        "form": form,
        "parties": parties,
        "party_errors": party_errors,
        "error": error,
        "map_level": start,
        "outline": home.geometry if start else None,
        **_category_context(form["kind"].value(), form["category"].value() or "", form.errors.get("category", ())),
        **_picker_context(member, value, lat=form["lat"].value(), lng=form["lng"].value()),
        "region_errors": form.errors.get("region", ()),
    }
    return private(TemplateResponse(request, "cases/intake.html", context, status=status))


def _forms(request: HttpRequest, data: QueryDict | None = None) -> tuple[IntakeForm, BaseFormSet]:
    member = request.member
    search = reverse("cases:person_suggestions") if member.has_perm("person.view") else ""
    units = list(units_list(region=region_home(member=member)))
    kwargs = {"units": units, "categories_url": reverse("cases:categories")}
    if data is None:
        initial = {"idempotency_key": uuid.uuid4().hex, "received_at": now_minute(), "region": member.jurisdiction.code}
        form = IntakeForm(initial=initial, **kwargs)
        return form, PartyFormSet(prefix="parties", initial=PARTY_ROLES, form_kwargs={"search_url": search})
    return IntakeForm(data, **kwargs), PartyFormSet(data, prefix="parties", form_kwargs={"search_url": search})


@member_required("case.register")
def intake(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, *_forms(request))
    form, parties = _forms(request, request.POST)
    if not (form.is_valid() & parties.is_valid()):  # both, so every field shows its error
        return _page(request, form, parties, error="登记内容有误，请检查标出的字段。", status=422)
    rows = [party for party in parties.forms if not party.is_blank()]
    try:
        registered = services.case_register(
            actor=request.member,
            idempotency_key=form.cleaned_data["idempotency_key"],
            parties=[party.payload() for party in rows],
            **form.payload(),
        )
    except DomainError as exc:
        party_errors = _service_errors(form, rows, exc)
        if exc.code == "idempotency_key_reused":  # the page was sent before with other content
            form.data = form.data.copy()
            form.data["idempotency_key"] = uuid.uuid4().hex
        return _page(request, form, parties, party_errors=party_errors, error=exc.message, status=exc.status)
    code = registered.case.code
    if registered.created:
        messages.success(request, f"登记成功，案件编码 {code}。请打印回执交给群众。")
    else:
        messages.info(request, f"该登记已提交过，未重复登记。案件编码 {code}。")
    return redirect("cases:detail", code=code)


def _service_errors(form: IntakeForm, rows: list[PartyForm], exc: DomainError) -> list[str]:
    """The service's field errors on the form and the party rows ("parties.1.phone" → the
    second filled row's phone); returns the errors about the parties as a whole."""
    whole: list[str] = []
    for field, messages_ in exc.errors.items():
        head, _, rest = field.partition(".")
        if head == "parties" and rest:
            index, _, name = rest.partition(".")
            row = rows[int(index)]
            for message in messages_:
                row.add_error(name if name in ("name", "role", "phone", "id_number") else "name", message)
        elif head == "parties":
            whole.extend(messages_)
        else:
            for message in messages_:
                form.add_error(field if field in form.fields and field not in ("lat", "lng") else None, message)
    return whole


@member_required("case.register")
def categories(request: HttpRequest) -> HttpResponse:
    """The category select for a kind (the desk swaps it in when the kind changes)."""
    return TemplateResponse(request, "cases/_categories.html", _category_context(request.GET.get("kind", "")))


@member_required("case.register")
def region_picker(request: HttpRequest) -> HttpResponse:
    """The village → grid → micro-grid selects for a chosen region, or for a point clicked on
    the map (?lat=&lng=), located within what the member may see."""
    member = request.member
    code = request.GET.get("pick") or request.GET.get("region", "")
    try:
        lat, lng = float(request.GET["lat"]), float(request.GET["lng"])
    except (KeyError, ValueError):
        return TemplateResponse(request, "cases/_region_picker.html", _picker_context(member, code))
    try:
        answer = region_locate_visible(member=member, lat=lat, lng=lng)
    except Http404:
        answer = {}
    found = next((answer[key] for key in LOCATE_ORDER if answer.get(key)), None)
    context = _picker_context(member, found["code"] if found else code, lat=lat, lng=lng)
    if found is None or context["picker"].chosen.code != found["code"]:
        context = _picker_context(member, code, error="该位置不在您的管辖范围内，请在下拉框中选择区域。")
    else:
        context["located"] = found["name"]
    return TemplateResponse(request, "cases/_region_picker.html", context)


@member_required("case.register")
def person_suggestions(request: HttpRequest) -> HttpResponse:
    """Registry persons for a party's name as typed (two characters are enough), masked."""
    q = next((value for key, value in request.GET.items() if key.endswith("-name")), "").strip()
    persons = list(person_search(member=request.member, q=q)[:SUGGESTIONS]) if len(q) >= 2 else []
    return private(TemplateResponse(request, "cases/_person_suggestions.html", {"persons": persons, "q": q}))


@member_required("case.register")
@require_POST
def hints(request: HttpRequest) -> HttpResponse:
    """Recent cases of the same person or place while the clerk types, and what the registered
    intake-hint hooks add for the text typed so far (POST: phones and ID numbers stay out of
    URLs and logs)."""
    post = request.POST

    def party_values(suffix: str) -> list[str]:
        return [v.strip() for k, v in post.items() if k.startswith("parties-") and k.endswith(suffix) and v.strip()]

    draft = HintDraft(
        member=request.member,
        title=post.get("title", "").strip(),
        description=post.get("description", "").strip(),
        kind=post.get("kind", ""),
        region=post.get("region", ""),
        person_ids=[parse_id(v, field="person_id") for v in party_values("-person_id")],
        phones=party_values("-phone"),
        id_numbers=party_values("-id_number"),
    )
    found = page_selectors.intake_hints(
        member=draft.member,
        region=draft.region,
        person_ids=draft.person_ids,
        phones=draft.phones,
        id_numbers=draft.id_numbers,
    )
    blocks = intake_hint_blocks(request, draft)  # the later apps' hints (smart: category, unit, issue)
    return private(TemplateResponse(request, "cases/_hints.html", {"hints": found, "blocks": blocks}))
