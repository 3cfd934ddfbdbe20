"""隆回微警 pages (issue 15 parts 5 and 6): a police contact recorded from the person card, the
officer's own list of residents still to contact, and anti-fraud alerts with their reach."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_POST

from yimen.core.errors import DomainError
from yimen.core.forms import add_service_errors
from yimen.core.permissions import member_required
from yimen.geo.models import Region
from yimen.people import police, selectors
from yimen.people.forms import region_choices
from yimen.people.police_forms import AlertForm, ContactForm
from yimen.people.views.fieldwork import region_asked
from yimen.people.views.registry import person_context, private

PAGE = 50


@member_required("police.contact")
@require_POST
def person_contact_add(request, person_id: int):
    """记录警民联系 on the person card; a refusal re-renders the card with what was typed (422)."""
    member = request.member
    person = selectors.person_get_visible(member=member, person_id=person_id)
    form = ContactForm(request.POST)
    if form.is_valid():
        try:
            police.police_contact_record(actor=member, person=person, **form.cleaned_data)
        except DomainError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已记录警民联系。")
            return redirect("people:person_detail", person_id=person.pk)
    context = person_context(request, person, contact_form=form)
    return private(TemplateResponse(request, "people/person_detail.html", context, status=422))


@member_required("police.contact")
def worklist(request):
    """我的警民联系清单: the active residents of the officer's jurisdiction (or a chosen part of it)
    no officer has contacted yet, by micro-grid and household."""
    member = request.member
    region = region_asked(request)
    persons = selectors.persons_uncontacted(member=member, region=region)
    page_obj = Paginator(persons, PAGE).get_page(request.GET.get("page"))
    context = {"region": region, "choices": region_choices(member), "page_obj": page_obj}
    return private(TemplateResponse(request, "people/police_worklist.html", context))


@member_required("fraud.alert")
def alert_list(request):
    """反诈预警: the form to send one and the alerts sent in the officer's jurisdiction."""
    member = request.member
    form = AlertForm(request.POST or None, member=member)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                alert = police.fraud_alert_send(
                    actor=member, title=data["title"], text=data["text"], region=data["region"], tag=data["tag"]
                )
            except DomainError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, f"预警已排队发送给 {alert.recipients} 人。")
                return redirect("people:alert_detail", alert_id=alert.pk)
        status = 422
    page_obj = Paginator(selectors.fraud_alerts_visible(member), PAGE).get_page(request.GET.get("page"))
    context = {"form": form, "page_obj": page_obj}
    return private(TemplateResponse(request, "people/alert_list.html", context, status=status))


@member_required("fraud.alert")
def alert_detail(request, alert_id: int):
    """An alert's reach per village (sent, delivered, acknowledged) and its recipients to mark
    acknowledged, names only: no phone number anywhere on the page."""
    member = request.member
    alert = selectors.fraud_alert_get_visible(member=member, alert_id=alert_id)
    reach = selectors.alert_reach(alert=alert)
    code = request.GET.get("village") or ""
    village = next((row.village for row in reach if row.village.code == code), None)
    deliveries = selectors.alert_deliveries(alert=alert, village=village)
    page_obj = Paginator(deliveries, PAGE).get_page(request.GET.get("page"))
    context = {"alert": alert, "reach": reach, "village": village, "page_obj": page_obj}
    return private(TemplateResponse(request, "people/alert_detail.html", context))


@member_required("fraud.alert")
@require_POST
def alert_acknowledge(request, alert_id: int, delivery_id: int):
    member = request.member
    alert = selectors.fraud_alert_get_visible(member=member, alert_id=alert_id)
    delivery = get_object_or_404(alert.deliveries.select_related("village"), pk=delivery_id)
    try:
        police.alert_delivery_acknowledge(actor=member, delivery=delivery)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "已确认收到。")
    village = request.POST.get("village", "")
    suffix = f"?village={village}" if Region.objects.filter(code=village).exists() else ""
    return redirect(reverse("people:alert_detail", args=[alert.pk]) + suffix)
