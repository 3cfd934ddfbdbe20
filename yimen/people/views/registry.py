"""Search, the person card with its reveal form, and the household card (民情档案)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from yimen.core.errors import DomainError
from yimen.core.forms import add_service_errors
from yimen.core.identity import mask_id_number, mask_phone
from yimen.core.permissions import member_required
from yimen.geo.selectors import region_ancestors, region_get_visible
from yimen.people import selectors, services
from yimen.people.extensions import person_panels
from yimen.people.forms import NoteForm, PersonSearchForm, PoliceContactForm, RevealForm
from yimen.people.police_forms import ContactForm
from yimen.people.views.tags import tag_forms

PAGE_SIZE = 20
SEARCH_LABELS = {"id": "身份证号", "phone": "手机号"}


def htmx_fragment(request) -> bool:
    # A history restore after a cache miss also carries HX-Request but needs the whole page.
    return bool(request.htmx) and not request.htmx.history_restore_request


def private(response):
    """Personal data stays out of every cache: the browser's, a proxy's and the back button's."""
    add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
    return response


@member_required("person.view")
@vary_on_headers("HX-Request")
def person_list(request):
    member = request.member
    form = PersonSearchForm(request.GET, member=member)
    page_obj, searched = None, ""
    if form.is_valid():
        data = form.cleaned_data
        region = region_get_visible(member=member, code=data["region"]) if data["region"] else None
        tag = selectors.tag_get_visible(member=member, key=data["tag"]) if data["tag"] else None
        persons = selectors.person_search(member=member, q=data["q"], region=region, tag=tag)
        page_obj = Paginator(persons, PAGE_SIZE).get_page(request.GET.get("page"))
        kind, value = selectors.search_kind(data["q"])
        if kind in SEARCH_LABELS:
            # Never echo a full ID number or phone into the page, its links or the history.
            masked = mask_id_number(value) if kind == "id" else mask_phone(value)
            searched = f"按{SEARCH_LABELS[kind]} {masked} 查询"
            form.data = form.data.copy()
            form.data["q"] = ""
    query = form.data.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page_obj": page_obj,
        "searched": searched,
        "query": query.urlencode(),
        "may_edit": services.is_editor(member),
    }
    template = "people/_person_results.html" if htmx_fragment(request) else "people/person_list.html"
    return private(TemplateResponse(request, template, context))


def person_context(request, person, **extra) -> dict:
    member = request.member
    # Read through a reach (a running 会商): the card only, no action — each would 404 anyway.
    reached = getattr(person, "reached", False)

    def may(perm: str) -> bool:
        return not reached and member.has_perm(perm)

    may_edit = not reached and services.is_editor(member)
    tag_add_form, tag_remove_form = tag_forms(member, person) if may_edit else (None, None)
    return {
        "person": person,
        "reached": reached,
        "ancestors": region_ancestors(person.region),
        "notes": selectors.notes_for_person(person=person),
        "note_form": NoteForm() if may("person.note") else None,
        "reveal_form": RevealForm() if may("person.reveal") else None,
        "panels": person_panels(request, person),
        "may_edit": may_edit,
        "tag_history": selectors.tag_history(member=member, person=person),
        "tag_add_form": tag_add_form,
        "tag_remove_form": tag_remove_form,
        "may_mark_left": may("person.reveal") and person.status not in person.LEFT,
        "may_merge": may("person.reveal") and person.status not in person.LEFT,
        "contacts": selectors.police_contacts(person=person),
        "contact_form": ContactForm() if may("police.contact") and person.status not in person.LEFT else None,
        **extra,
    }


@member_required("person.view")
def person_detail(request, person_id: int):
    person = selectors.person_get_readable(member=request.member, person_id=person_id)
    return private(TemplateResponse(request, "people/person_detail.html", person_context(request, person)))


@member_required("person.reveal")
@require_POST
def person_reveal(request, person_id: int):
    """查看完整信息: the full values once, in this answer only (no-store), after the purpose is
    logged by the service."""
    member = request.member
    person = selectors.person_get_visible(member=member, person_id=person_id)
    form, revealed = RevealForm(request.POST), None
    if form.is_valid():
        try:
            purpose, ip = form.cleaned_data["purpose"], request.META.get("REMOTE_ADDR", "")
            revealed = services.person_reveal(actor=member, person=person, purpose=purpose, ip=ip)
        except DomainError as exc:
            add_service_errors(form, exc)
    if htmx_fragment(request):  # 200 either way: htmx swaps no 4xx answer, and the form must show its error
        context = {"person": person, "reveal_form": form, "revealed": revealed}
        return private(TemplateResponse(request, "people/_reveal.html", context))
    context = person_context(request, person, reveal_form=form, revealed=revealed)
    status = 200 if revealed else 422
    return private(TemplateResponse(request, "people/person_detail.html", context, status=status))


def _note_add(request, *, person=None, household=None):
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_add(actor=request.member, person=person, household=household, **form.cleaned_data)
        except DomainError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已记入民情档案。")
    if form.errors:
        messages.error(request, "未能保存：" + "；".join(e for errors in form.errors.values() for e in errors))


@member_required("person.note")
@require_POST
def person_note_add(request, person_id: int):
    person = selectors.person_get_visible(member=request.member, person_id=person_id)
    _note_add(request, person=person)
    return redirect("people:person_detail", person_id=person.pk)


@member_required("person.view")
def household_detail(request, household_id: int):
    member = request.member
    household = selectors.household_get_visible(member=member, household_id=household_id)
    can_note = member.has_perm("person.note")
    members = selectors.household_members(member=member, household=household)
    context = {
        "household": household,
        "ancestors": region_ancestors(household.region),
        "members": members,
        "notes": selectors.notes_for_household(household=household, members=members),
        "note_form": NoteForm() if can_note else None,
        "may_edit": services.is_editor(member),
        "contact_form": PoliceContactForm(initial={"joined_on": household.police_contact_on}) if can_note else None,
    }
    return private(TemplateResponse(request, "people/household_detail.html", context))


@member_required("person.note")
@require_POST
def household_note_add(request, household_id: int):
    household = selectors.household_get_visible(member=request.member, household_id=household_id)
    _note_add(request, household=household)
    return redirect("people:household_detail", household_id=household.pk)


@member_required("person.note")
@require_POST
def household_police_contact(request, household_id: int):
    household = selectors.household_get_visible(member=request.member, household_id=household_id)
    form = PoliceContactForm(request.POST)
    if form.is_valid():
        try:
            services.household_police_contact_set(
                actor=request.member, household=household, joined_on=form.cleaned_data["joined_on"]
            )
        except DomainError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已更新警民联系状态。")
    if form.errors:
        messages.error(request, "未能保存：" + "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("people:household_detail", household_id=household.pk)
