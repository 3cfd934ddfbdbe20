"""Forms for keeping the registry by hand (issue 15): a person, a household, a move away or a
death. They only parse input and find the chosen records within the member's reach; the rules
(GB 11643, phonenumbers, duplicates, versions) live in upkeep.py and services.py."""

import uuid

from django import forms

from yimen.core.forms import BootstrapBoundField
from yimen.core.schemas import ID_MAX
from yimen.geo.models import Member, Region
from yimen.people import selectors
from yimen.people.models import Household, Person
from yimen.people.rules import OUTSIDE
from yimen.people.services import PURPOSE_MAX

ACTIVE_STATUSES = [(code, label) for code, label in Person.Status.choices if code not in Person.LEFT]
REQUIRED = "此项为必填项。"


class UpkeepForm(forms.Form):
    """A registry form: Bootstrap widgets and the member's micro-grids as the region's choices."""

    bound_field_class = BootstrapBoundField

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        if "region" in self.fields:
            self.fields["region"].choices = [("", "请选择微网格"), *selectors.microgrids_visible(member)]

    def clean_region(self) -> Region | None:
        code = self.cleaned_data.get("region")
        return Region.objects.get(code=code) if code else None


def region_field(**kwargs) -> forms.ChoiceField:
    messages = {"invalid_choice": f"所选微网格{OUTSIDE}", "required": "请选择微网格。"}
    return forms.ChoiceField(label="居住微网格", error_messages=messages, **kwargs)


class PersonForm(UpkeepForm):
    """登记人员 and 修改人员信息: on edit the ID number and phone are optional (left empty they stay
    as they are: the card shows them masked, so they cannot be typed back)."""

    key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)
    id_number = forms.CharField(label="身份证号", max_length=30, error_messages={"required": "请填写身份证号码。"})
    name = forms.CharField(label="姓名", max_length=50, error_messages={"required": "请填写姓名。"})
    phone = forms.CharField(label="手机号", max_length=20, required=False)
    household = forms.IntegerField(
        label="户编号",
        required=False,
        min_value=1,
        max_value=ID_MAX,
        help_text="已登记的户，见户页面上的编号；可先“新建户”。留空则只登记居住微网格。",
        error_messages={"invalid": "请填写户编号（数字）。", "min_value": "请填写户编号（数字）。"},
    )
    relationship = forms.CharField(label="与户主关系", max_length=20, required=False, help_text="填“户主”即设为户主")
    region = region_field(required=False, help_text="填了户编号时随户所在微网格")
    ethnicity = forms.CharField(label="民族", max_length=20, required=False, initial="汉族")
    status = forms.ChoiceField(label="居住状态", choices=ACTIVE_STATUSES, initial=Person.Status.RESIDENT)
    address = forms.CharField(label="住址", max_length=200, required=False, help_text="留空则为户的住址")

    def __init__(self, *args, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person
        if person is None:
            self.fields["key"].initial = uuid.uuid4().hex  # a double tap registers once
            return
        del self.fields["key"]
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=ID_MAX)
        for name, shown in (("id_number", person.id_number_masked), ("phone", person.phone_masked)):
            self.fields[name].required = False
            self.fields[name].help_text = f"当前 {shown or '未登记'}；留空则不变，填写即更正。"
        # A moved-out or deceased person's status is none of these: "不变" keeps it, never a silent revival.
        self.fields["status"].required = False
        self.fields["status"].choices = [("", "不变"), *ACTIVE_STATUSES]

    def clean_household(self) -> Household | None:
        pk = self.cleaned_data.get("household")
        if pk is None:
            return None
        household = Household.objects.visible_to(self.member).filter(pk=pk).first()
        if household is None:
            raise forms.ValidationError(f"该户{OUTSIDE}")
        return household

    def clean(self):
        data = super().clean()
        if not data.get("household") and not data.get("region") and self.person is None:
            self.add_error("region", "请选择居住微网格，或填写户编号。")
        return data

    @classmethod
    def initial_for(cls, person: Person) -> dict:
        return {
            "version": person.version,
            "name": person.name,
            "household": person.household_id,
            "relationship": person.relationship,
            "region": person.region.code,
            "ethnicity": person.ethnicity,
            "status": "" if person.status in Person.LEFT else person.status,
            "address": person.address,
        }

    def changes(self) -> dict:
        """What person_update is given: only what the clerk typed or changed. A move to another
        household takes that household's micro-grid, so the region then stays out."""
        data, person = self.cleaned_data, self.person
        given = {key: data[key] for key in ("name", "relationship", "ethnicity", "address")}
        if data["phone"]:
            given["phone"] = data["phone"]
        if data["status"] and data["status"] != person.status:
            given["status"] = data["status"]
        household = data["household"]
        if household is not None and household.pk != person.household_id:
            given["household"] = household
        elif data["region"] is not None:
            given["region"] = data["region"]
        return given


class HouseholdForm(UpkeepForm):
    """登记户 and 修改户信息; on edit the head is chosen among the household's members."""

    region = region_field()
    address = forms.CharField(label="住址", max_length=200, error_messages={"required": "请填写住址。"})
    number = forms.CharField(label="户号", max_length=30, required=False, help_text="户口簿上的户号，可省略")

    def __init__(self, *args, household: Household | None = None, members: list[Person] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].label = "微网格"
        if household is None:
            return
        del self.fields["number"]  # the 户号 is the import's key: set once, never retyped
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=ID_MAX)
        self.members = {str(person.pk): person for person in members}
        self.fields["head"] = forms.ChoiceField(
            label="户主",
            required=False,
            choices=[("", "不变" if household.head_id else "未设")] + [(pk, p.name) for pk, p in self.members.items()],
            error_messages={"invalid_choice": "户主须为本户成员。"},
        )

    def clean_head(self) -> Person | None:
        return self.members.get(self.cleaned_data.get("head") or "")


class LeftForm(forms.Form):
    """登记迁出/死亡: a grave step, so it asks why (the purpose goes to the audit log)."""

    bound_field_class = BootstrapBoundField

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=ID_MAX)
    status = forms.ChoiceField(
        label="登记为",
        choices=[("", "请选择"), *[(code, Person.Status(code).label) for code in Person.LEAVING]],
        error_messages={"required": "请选择迁出或死亡。", "invalid_choice": "请选择迁出或死亡。"},
    )
    purpose = forms.CharField(
        label="事由",
        max_length=PURPOSE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如“户籍迁往县城，凭迁移证”或“家属报告，村委核实”；将记入审计日志。",
        error_messages={"required": "请说明事由。", "max_length": f"最多 {PURPOSE_MAX} 个字。"},
    )


class TagForm(forms.Form):
    """添加标签 or 移除标签 on the person card: a tag among those the member may see, and why."""

    bound_field_class = BootstrapBoundField

    tag = forms.ChoiceField(label="标签", error_messages={"required": "请选择标签。", "invalid_choice": "未知标签。"})
    reason = forms.CharField(
        label="事由",
        max_length=200,
        help_text="记入标签变更记录和审计日志",
        error_messages={"required": "请说明事由。", "max_length": "事由最多 200 个字。"},
    )

    def __init__(self, *args, tags, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", "请选择"), *[(tag.code, tag.name) for tag in tags]]


class MergeForm(forms.Form):
    """合并重复记录: a grave step, so it asks why (the purpose goes to the audit log)."""

    bound_field_class = BootstrapBoundField

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=ID_MAX)
    survivor = forms.IntegerField(
        label="保留的记录编号",
        min_value=1,
        max_value=ID_MAX,
        help_text="本记录并入该记录；本记录保留并指向它，不再计入在册人数。",
        error_messages={
            "required": "请填写保留的记录编号。",
            "invalid": "请填写记录编号（数字）。",
            "min_value": "请填写记录编号（数字）。",
            "max_value": "请填写记录编号（数字）。",
        },
    )
    purpose = forms.CharField(
        label="事由",
        max_length=PURPOSE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如“同一人重复登记，经核对身份证”；将记入审计日志。",
        error_messages={"required": "请说明事由。", "max_length": f"最多 {PURPOSE_MAX} 个字。"},
    )

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member

    def clean_survivor(self) -> Person:
        found = Person.objects.visible_to(self.member).filter(pk=self.cleaned_data["survivor"]).first()
        if found is None:
            raise forms.ValidationError(f"该记录{OUTSIDE}")
        return found
