"""Tags by hand (issue 15 part 3): a reason each time, a history kept, every change audited, and
sensitive tags that do not exist for those without person.sensitive_tags."""

from yimen.core.models import AuditEntry
from yimen.people.models import Person, TagChange


def tags_of(person: Person) -> set[str]:
    return set(Person.unscoped.get(pk=person.pk).tags.values_list("code", flat=True))


def test_clerk_adds_and_removes_a_care_tag_with_reasons(api, resident):
    person = resident("张三", seq=71)
    added = api.post("clerk", f"/persons/{person.pk}/tags", {"tag": "留守老人", "reason": "子女均在外务工"})
    assert added.status_code == 201, added.json()
    assert added.json()["tags"] == ["留守老人"]
    removed = api.delete("clerk", f"/persons/{person.pk}/tags/left_behind_elderly", {"reason": "儿子返乡同住"})
    assert removed.status_code == 200 and removed.json()["tags"] == []
    history = list(TagChange.objects.order_by("at", "id").values_list("action", "tag__code", "reason", "actor_name"))
    assert [row[:3] for row in history] == [
        ("added", "left_behind_elderly", "子女均在外务工"),
        ("removed", "left_behind_elderly", "儿子返乡同住"),
    ]
    entries = AuditEntry.objects.filter(target=f"person:{person.pk}", action__startswith="person_tag_")
    assert sorted(entries.values_list("action", "purpose")) == [
        ("person_tag_add", "子女均在外务工"),
        ("person_tag_remove", "儿子返乡同住"),
    ]


def test_a_reason_is_required_and_unknown_tags_are_refused(api, resident):
    person = resident("张三", seq=72)
    response = api.post("clerk", f"/persons/{person.pk}/tags", {"tag": "独居", "reason": " "})
    assert response.status_code == 422 and "reason" in response.json()["errors"]
    response = api.post("clerk", f"/persons/{person.pk}/tags", {"tag": "不存在的", "reason": "核实"})
    assert response.status_code == 422 and response.json()["errors"]["tag"] == ["未知标签。"]
    api.post("clerk", f"/persons/{person.pk}/tags", {"tag": "独居", "reason": "核实"})
    twice = api.post("clerk", f"/persons/{person.pk}/tags", {"tag": "独居", "reason": "核实"})
    assert twice.status_code == 422 and "已有此标签" in twice.json()["errors"]["tag"][0]
    missing = api.delete("clerk", f"/persons/{person.pk}/tags/disabled", {"reason": "核实"})
    assert missing.status_code == 404
    assert TagChange.objects.count() == 1 and tags_of(person) == {"living_alone"}


def test_sensitive_tags_behave_as_unknown_without_the_permission(api, resident):
    person = resident("张三", seq=73)
    refused = api.post("clerk", f"/persons/{person.pk}/tags", {"tag": "社区矫正", "reason": "司法所通知"})
    typo = api.post("clerk", f"/persons/{person.pk}/tags", {"tag": "社区娇正", "reason": "司法所通知"})
    assert refused.status_code == typo.status_code == 422
    assert refused.json() == typo.json()
    done = api.post("police", f"/persons/{person.pk}/tags", {"tag": "社区矫正", "reason": "司法所通知"})
    assert done.status_code == 201 and done.json()["tags"] == ["社区矫正"]
    hidden = api.delete("clerk", f"/persons/{person.pk}/tags/community_correction", {"reason": "解矫"})
    assert hidden.status_code == 404 and tags_of(person) == {"community_correction"}
    assert api.get("clerk", f"/persons/{person.pk}").json()["tags"] == []
    entry = AuditEntry.objects.get(action="person_tag_add")
    assert entry.actor_username == "police" and entry.detail["sensitive"] is True


def test_wrong_role_and_other_village_are_refused(api, resident):
    person = resident("张三", seq=74)
    response = api.post("leader", f"/persons/{person.pk}/tags", {"tag": "独居", "reason": "核实"})
    assert response.status_code == 403
    response = api.post("gridworker2", f"/persons/{person.pk}/tags", {"tag": "独居", "reason": "核实"})
    assert response.status_code == 404
    assert not TagChange.objects.exists() and tags_of(person) == set()


def test_card_tags_a_person_and_shows_only_visible_history(signed_in, resident, api):
    person = resident("张三", seq=75)
    api.post("police", f"/persons/{person.pk}/tags", {"tag": "吸毒", "reason": "派出所通报"})
    client = signed_in("gridworker")
    card = client.get(f"/persons/{person.pk}/").content.decode()
    assert 'data-testid="tag-add-form"' in card and "吸毒" not in card and "派出所通报" not in card
    response = client.post(f"/persons/{person.pk}/tags/", {"add-tag": "living_alone", "add-reason": "入户走访核实"})
    assert response.status_code == 302
    refused = client.post(f"/persons/{person.pk}/tags/", {"add-tag": "drug_user", "add-reason": "x"}, follow=True)
    assert "未知标签" in refused.content.decode()
    card = client.get(f"/persons/{person.pk}/").content.decode()
    history = card.split('data-testid="tag-history"')[1]
    assert "独居" in history and "入户走访核实" in history and "吸毒" not in history
    client.post(
        f"/persons/{person.pk}/tags/remove/", {"remove-tag": "living_alone", "remove-reason": "已搬去与子女同住"}
    )
    assert tags_of(person) == {"drug_user"}
    police_card = signed_in("police").get(f"/persons/{person.pk}/").content.decode()
    assert "派出所通报" in police_card and "已搬去与子女同住" in police_card
    assert 'data-testid="tag-add-form"' not in signed_in("leader").get(f"/persons/{person.pk}/").content.decode()
