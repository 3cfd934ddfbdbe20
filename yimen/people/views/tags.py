"""Adding and removing a resident's tags from the person card (issue 15 part 3)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from yimen.core.errors import DomainError
from yimen.core.forms import add_service_errors
from yimen.core.permissions import member_required
from yimen.people import selectors, tagging
from yimen.people.upkeep_forms import TagForm


def tag_forms(member, person, data=None) -> tuple[TagForm, TagForm]:
    """The card's two forms: tags the person lacks to add, tags they carry to remove, both among
    those the member may see."""
    held = {tag.pk for tag in person.visible_tags}
    visible = list(selectors.tags_visible(member))
    adding = TagForm(data, tags=[t for t in visible if t.pk not in held], prefix="add")
    removing = TagForm(data, tags=[t for t in visible if t.pk in held], prefix="remove")
    return adding, removing


def _change(request, person_id: int, *, remove: bool):
    member = request.member
    person = selectors.person_get_visible(member=member, person_id=person_id)
    form = tag_forms(member, person, request.POST)[remove]
    if form.is_valid():
        service = tagging.person_tag_remove if remove else tagging.person_tag_add
        try:
            service(actor=member, person=person, **form.cleaned_data)
        except DomainError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已移除标签。" if remove else "已添加标签。")
    if form.errors:
        messages.error(request, "未能保存：" + "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("people:person_detail", person_id=person.pk)


@member_required("person.note")
@require_POST
def person_tag_add(request, person_id: int):
    return _change(request, person_id, remove=False)


@member_required("person.note")
@require_POST
def person_tag_remove(request, person_id: int):
    return _change(request, person_id, remove=True)
