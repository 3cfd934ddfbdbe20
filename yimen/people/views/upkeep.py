"""Keeping the registry in the browser (issue 15 part 1): register a walk-in or a household,
correct them under their version, move a person to another household, set the head, and
record a move away or a death with its reason. Every change is an upkeep.py service."""

from django.contrib import messages
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from yimen.core.errors import DomainError
from yimen.core.forms import add_service_errors
from yimen.core.permissions import member_required
from yimen.people import selectors, upkeep
from yimen.people.models import Person
from yimen.people.upkeep_forms import HouseholdForm, LeftForm, MergeForm, PersonForm
from yimen.people.views.registry import private


def _refused(form, exc: DomainError) -> int:
    """Put a service's refusal on the form and answer its status. An ID number registered
    within the member's reach names that person (upkeep says so only then): the page links them."""
    existing = exc.errors.pop("existing", [])
    add_service_errors(form, exc)
    form.existing = reverse("people:person_detail", args=[existing[0]]) if existing else ""
    return exc.status


def _page(request, form, *, title: str, submit: str, back: str, status: int | None = None, **extra):
    status = status or (422 if form.errors else 200)  # a refusal's own status, else a field error's
    context = {"form": form, "title": title, "submit": submit, "back": back, **extra}
    return private(TemplateResponse(request, "people/upkeep_form.html", context, status=status))


@member_required("person.note")
def person_create(request):
    member = request.member
    initial = {"household": request.GET.get("household", "")}  # from the household page's 添加家庭成员
    form, status = PersonForm(request.POST or None, member=member, initial=initial), None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            person, _ = upkeep.person_create(
                actor=member,
                id_number=data["id_number"],
                name=data["name"],
                household=data["household"],
                relationship=data["relationship"],
                region=None if data["household"] else data["region"],
                ethnicity=data["ethnicity"] or None,
                phone=data["phone"],
                status=data["status"],
                address=data["address"],
                idempotency_key=data["key"],
            )
        except DomainError as exc:
            status = _refused(form, exc)
        else:
            messages.success(request, f"已登记 {person.name}。")
            return redirect("people:person_detail", person_id=person.pk)
    back = reverse("people:person_list")
    return _page(request, form, title="登记人员", submit="登记", back=back, status=status)


@member_required("person.note")
def person_edit(request, person_id: int):
    member = request.member
    person = selectors.person_get_visible(member=member, person_id=person_id)
    initial = PersonForm.initial_for(person)
    form, status = PersonForm(request.POST or None, member=member, person=person, initial=initial), None
    if request.method == "POST" and form.is_valid():
        try:
            upkeep.person_update(
                actor=member,
                person=person,
                version=form.cleaned_data["version"],
                id_number=form.cleaned_data["id_number"] or None,
                **form.changes(),
            )
        except DomainError as exc:
            status = _refused(form, exc)
        else:
            messages.success(request, "人员信息已保存。")
            return redirect("people:person_detail", person_id=person.pk)
    back = reverse("people:person_detail", args=[person.pk])
    return _page(request, form, title=f"修改人员信息 · {person.name}", submit="保存", back=back, status=status)


@member_required("person.reveal")
def person_left(request, person_id: int):
    """登记迁出/死亡: kept, never deleted; the reason is asked and goes to the audit log."""
    member = request.member
    person = selectors.person_get_visible(member=member, person_id=person_id)
    form, status = LeftForm(request.POST or None, initial={"version": person.version}), None
    if request.method == "POST" and form.is_valid():
        try:
            upkeep.person_mark_left(actor=member, person=person, **form.cleaned_data)
        except DomainError as exc:
            status = _refused(form, exc)
        else:
            messages.success(request, f"已登记{person.name}{Person.Status(form.cleaned_data['status']).label}。")
            return redirect("people:person_detail", person_id=person.pk)
    back = reverse("people:person_detail", args=[person.pk])
    notice = "记录将保留，不再计入在册人数；户主迁出或死亡后该户暂无户主。"
    return _page(
        request,
        form,
        title=f"登记迁出/死亡 · {person.name}",
        submit="确认登记",
        back=back,
        status=status,
        grave=True,
        notice=notice,
    )


@member_required("person.note")
def household_create(request):
    member = request.member
    form, status = HouseholdForm(request.POST or None, member=member), None
    if request.method == "POST" and form.is_valid():
        try:
            household, _ = upkeep.household_create(actor=member, **form.cleaned_data)
        except DomainError as exc:
            status = _refused(form, exc)
        else:
            messages.success(request, "已登记该户，可添加家庭成员。")
            return redirect("people:household_detail", household_id=household.pk)
    return _page(request, form, title="新建户", submit="登记", back=reverse("people:person_list"), status=status)


@member_required("person.note")
def household_edit(request, household_id: int):
    member = request.member
    household = selectors.household_get_visible(member=member, household_id=household_id)
    members = [p for p in selectors.household_members(member=member, household=household) if p.status not in p.LEFT]
    initial = {"version": household.version, "region": household.region.code, "address": household.address}
    form = HouseholdForm(request.POST or None, member=member, household=household, members=members, initial=initial)
    status = None
    if request.method == "POST" and form.is_valid():
        try:
            upkeep.household_update(actor=member, household=household, **form.cleaned_data)
        except DomainError as exc:
            status = _refused(form, exc)
        else:
            messages.success(request, "户信息已保存。")
            return redirect("people:household_detail", household_id=household.pk)
    back = reverse("people:household_detail", args=[household.pk])
    return _page(request, form, title=f"修改户信息 · {household.address}", submit="保存", back=back, status=status)


@member_required("person.reveal")
def person_merge(request, person_id: int):
    """合并重复记录: this record joins another of the same person, asked why (audited)."""
    member = request.member
    person = selectors.person_get_visible(member=member, person_id=person_id)
    form = MergeForm(request.POST or None, member=member, initial={"version": person.version})
    status = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survivor = upkeep.person_merge(
                actor=member, merged=person, survivor=data["survivor"], version=data["version"], purpose=data["purpose"]
            )
        except DomainError as exc:
            status = _refused(form, exc)
        else:
            messages.success(request, f"已将编号 {person.pk} 并入本记录。")
            return redirect("people:person_detail", person_id=survivor.pk)
    back = reverse("people:person_detail", args=[person.pk])
    notice = "两条记录的历史（标签、户、警民联系、案件）都将保留；身份证号码不同的两条记录不能合并。"
    return _page(
        request,
        form,
        title=f"合并重复记录 · {person.name}（编号 {person.pk}）",
        submit="确认合并",
        back=back,
        status=status,
        grave=True,
        notice=notice,
    )
