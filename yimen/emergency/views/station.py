"""Pages of the 快警站: the lost-and-found register with match suggestions and the ID-checked
return, missing persons with their alert and found, and the station's figures for today. Only
the station, the police and the centre hold lostfound.view (others: 403); a record outside the
member's station or jurisdiction is 404."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yimen.cases.views.common import private
from yimen.core.errors import DomainError
from yimen.core.forms import add_service_errors
from yimen.core.permissions import member_required
from yimen.emergency import selectors, services
from yimen.emergency.forms import (
    CallListForm,
    HandOverForm,
    LostItemForm,
    MissingForm,
    NoteForm,
    ReasonForm,
    ReturnForm,
    SightingForm,
)
from yimen.emergency.models import LostItem, TouristHelp
from yimen.emergency.views import submitted

LIST_LIMIT = 50


def _page(request, forms: dict | None = None, status: int = 200):
    member = request.member
    forms = forms or {}
    now = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    context = {
        "day": selectors.station_day(member, timezone.localdate()),
        "items": list(selectors.lost_items_open(member)[:LIST_LIMIT]),
        "missing": list(selectors.missing_open(member)[:LIST_LIMIT]),
        "can_record": member.has_perm("lostfound.record"),
        "can_board": member.has_perm("incident.view"),
        "help_kinds": TouristHelp.Kind.choices,
        "item_form": forms.get("item") or LostItemForm(initial={"at": now}),
        "missing_form": forms.get("missing") or MissingForm(initial={"last_seen_at": now}),
        "due": selectors.lost_items_due(member, services.handover_due_before(timezone.now())).count(),
    }
    return private(TemplateResponse(request, "emergency/station.html", context, status=status))


@member_required("lostfound.view")
def station(request):
    return _page(request)


@member_required("lostfound.record")
@require_POST
def item_new(request):
    form = LostItemForm(request.POST)
    if form.is_valid():
        try:
            item = services.lost_item_record(actor=request.member, **form.cleaned_data)
        except DomainError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, f"已登记：{item.description}")
            return redirect("emergency:item", item_id=item.pk)
    return _page(request, {"item": form}, status=422)


def _item_page(request, item, form: ReturnForm | None = None, status: int = 200):
    context = {
        "item": item,
        "matches": selectors.lost_item_matches(request.member, item),
        "return_form": form or ReturnForm(),
        "can_record": request.member.has_perm("lostfound.record"),
    }
    return private(TemplateResponse(request, "emergency/item.html", context, status=status))


@member_required("lostfound.view")
def item(request, item_id: int):
    """One item with the candidates of the other kind (by words, place and time)."""
    return _item_page(request, selectors.lost_item_get(request.member, item_id))


@member_required("lostfound.record")
@require_POST
def item_return(request, item_id: int):
    """发还: only with the claimant's identity checked (the service refuses it otherwise)."""
    found = selectors.lost_item_get(request.member, item_id)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.lost_item_return(actor=request.member, item=found, **form.cleaned_data)
        except DomainError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, f"已发还给 {found.returned_to}。")
            return redirect("emergency:item", item_id=found.pk)
    return _item_page(request, found, form, status=422)


@member_required("lostfound.record")
@require_POST
def missing_new(request):
    """走失登记: the station's call list is alerted at once."""
    form = MissingForm(request.POST)
    if form.is_valid():
        try:
            person = services.missing_person_report(actor=request.member, **form.cleaned_data)
        except DomainError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, f"已登记走失人员 {person.name}，已通知 {person.alerted} 人。")
            return redirect("emergency:missing", missing_id=person.pk)
    return _page(request, {"missing": form}, status=422)


@member_required("lostfound.record")
@require_POST
def help_new(request):
    """One tap: the help just given to a visitor (its kind is the button pressed)."""
    try:
        row = services.tourist_help_record(actor=request.member, kind=request.POST.get("kind", ""))
    except DomainError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"已登记：{row.get_kind_display()}。")
    return redirect("emergency:station")


def _missing_page(request, person, form: SightingForm | None = None, status: int = 200):
    now = timezone.localtime().replace(second=0, microsecond=0, tzinfo=None)
    context = {
        "person": person,
        "sightings": list(person.sightings.select_related("by__user")),
        "sighting_form": form or SightingForm(initial={"at": now}),
        "note_form": NoteForm(),
        "can_record": request.member.has_perm("lostfound.record"),
    }
    return private(TemplateResponse(request, "emergency/missing.html", context, status=status))


@member_required("lostfound.view")
def missing(request, missing_id: int):
    return _missing_page(request, selectors.missing_get(request.member, missing_id))


@member_required("lostfound.record")
@require_POST
def sighting_new(request, missing_id: int):
    """线索: where and when the person was seen."""
    person = selectors.missing_get(request.member, missing_id)
    form = SightingForm(request.POST)
    if form.is_valid():
        try:
            services.missing_person_sighting(actor=request.member, person=person, **form.cleaned_data)
        except DomainError as refused:
            add_service_errors(form, refused)
        else:
            messages.success(request, "线索已登记。")
            return redirect("emergency:missing", missing_id=person.pk)
    return _missing_page(request, person, form, status=422)


@member_required("lostfound.record")
@require_POST
def missing_found(request, missing_id: int):
    person = selectors.missing_get(request.member, missing_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.missing_person_found(actor=request.member, person=person, note=form.cleaned_data["note"])
        except DomainError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, f"{person.name} 已找到。")
    else:
        messages.error(request, "情况说明最多 2000 个字。")
    return redirect("emergency:missing", missing_id=person.pk)


def _call_list_page(request, form: CallListForm | None = None, status: int = 200):
    member = request.member
    rows = list(selectors.call_list(member)[: LIST_LIMIT * 4])
    context = {
        "active": [r for r in rows if r.removed_at is None],
        "removed": [r for r in rows if r.removed_at is not None],
        "can_record": member.has_perm("lostfound.record"),
        "form": form or CallListForm(),
        "reason_form": ReasonForm(),
    }
    return private(TemplateResponse(request, "emergency/call_list.html", context, status=status))


@member_required("lostfound.view")
def call_list(request):
    """通知名单: who hears of a missing person at once; removed entries keep their reason."""
    return _call_list_page(request)


@member_required("lostfound.record")
@require_POST
def call_list_add(request):
    form = CallListForm(request.POST)

    def done(row):
        messages.success(request, f"已将 {row.name}（{row.phone_masked}）加入通知名单。")
        return redirect("emergency:call_list")

    return submitted(
        form,
        lambda: services.call_list_add(actor=request.member, **form.cleaned_data),
        done=done,
        again=lambda: _call_list_page(request, form, status=422),
    )


@member_required("lostfound.record")
@require_POST
def call_list_remove(request, entry_id: int):
    """移出: a grave step, so it asks the reason (the service refuses it blank)."""
    entry = selectors.call_list_entry_get(request.member, entry_id)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.call_list_remove(actor=request.member, entry=entry, reason=reason)
    except DomainError as refused:
        messages.error(request, "请填写移出原因。" if refused.errors else refused.message)
    else:
        messages.success(request, f"已将 {entry.name} 移出通知名单。")
    return redirect("emergency:call_list")


def _retention_page(request, forms: dict | None = None, status: int = 200):
    member = request.member
    forms = forms or {}
    due = list(selectors.lost_items_due(member, services.handover_due_before(timezone.now()))[:LIST_LIMIT])
    context = {
        "due": [(item, forms.get(item.pk) or HandOverForm(prefix=f"h{item.pk}")) for item in due],
        "handed": list(selectors.lost_items_handed_over(member)[:LIST_LIMIT]),
        "days": LostItem.RETENTION_DAYS,
        "can_record": member.has_perm("lostfound.record"),
    }
    return private(TemplateResponse(request, "emergency/retention.html", context, status=status))


@member_required("lostfound.view")
def retention(request):
    """招领期满: found items unclaimed a year after their notice, due for hand-over (民法典 art. 318),
    and the hand-over records."""
    return _retention_page(request)


@member_required("lostfound.record")
@require_POST
def item_hand_over(request, item_id: int):
    found = selectors.lost_item_get(request.member, item_id)
    form = HandOverForm(request.POST, prefix=f"h{found.pk}")

    def done(item):
        messages.success(request, f"已上交：{item.description}（{item.handed_to}，{item.handed_signed_by}签收）。")
        return redirect("emergency:retention")

    return submitted(
        form,
        lambda: services.lost_item_hand_over(actor=request.member, item=found, **form.cleaned_data),
        done=done,
        again=lambda: _retention_page(request, {found.pk: form}, status=422),
    )
