"""Forms of the emergency and 快警站 pages. They only parse input into the services' arguments;
the rules (who, which unit, which state) live in the services, whose messages land on these
fields."""

from django import forms

from yimen.core.forms import BootstrapBoundField
from yimen.core.images import MAX_PHOTO_BYTES
from yimen.emergency.models import DutyShift, Incident, LostItem, Resource

REQUIRED = {"required": "此项为必填项。"}
WHEN = {**REQUIRED, "invalid": "请输入有效的日期和时间。"}
LEVELS = [(1, "Ⅰ级（特别重大）"), (2, "Ⅱ级（重大）"), (3, "Ⅲ级（较大）"), (4, "Ⅳ级（一般）")]


def when_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


def when_field(label: str) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, widget=when_input(), input_formats=["%Y-%m-%dT%H:%M"], error_messages=WHEN)


def text_field(label: str, max_length: int, rows: int = 0, required: bool = True) -> forms.CharField:
    widget = forms.Textarea({"rows": rows}) if rows else forms.TextInput
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        widget=widget,
        error_messages={**REQUIRED, "max_length": f"最多 {max_length} 个字。"},
    )


class Form(forms.Form):
    """Each form's ids carry its own prefix (ID_PREFIX), so two forms on one page that share a
    field name (the station's item and missing-person forms both have a place) keep their labels."""

    bound_field_class = BootstrapBoundField
    ID_PREFIX = "id"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.ID_PREFIX}_%s")
        super().__init__(*args, **kwargs)


class DeclareForm(Form):
    title = text_field("事件名称", 100)
    kind = forms.ChoiceField(label="类别", choices=Incident.Kind.choices, error_messages=REQUIRED)
    level = forms.TypedChoiceField(label="级别", choices=LEVELS, coerce=int, initial=4, error_messages=REQUIRED)
    region = forms.ChoiceField(label="发生地", error_messages=REQUIRED)
    lat = forms.FloatField(
        label="纬度（可选）", required=False, min_value=-90, max_value=90, error_messages={"invalid": "请输入数字。"}
    )
    lng = forms.FloatField(
        label="经度（可选）", required=False, min_value=-180, max_value=180, error_messages={"invalid": "请输入数字。"}
    )
    case = text_field("关联案件编码（可选）", 40, required=False)
    units = forms.MultipleChoiceField(
        label="调度单位",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "单位有误。"},
    )

    def __init__(self, *args, regions: list[tuple[str, str]], units: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = regions
        self.fields["units"].choices = units

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lng") is None):
            self.add_error("lng", "经纬度须同时填写。")
        return data

    def service_args(self) -> dict:
        data = dict(self.cleaned_data)
        lat, lng = data.pop("lat"), data.pop("lng")
        data["location"] = {"lat": lat, "lng": lng} if lat is not None else None
        data["case"] = data["case"] or None
        return data


class ReportForm(Form):
    text = text_field("续报内容", 5000, rows=3)


class TaskForm(Form):
    unit = forms.ChoiceField(label="承担单位", error_messages={**REQUIRED, "invalid_choice": "该单位未参与本事件。"})
    title = text_field("任务", 200)
    due_at = when_field("完成时限")

    def __init__(self, *args, units: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "请选择"), *units]


class NoteForm(Form):
    note = text_field("情况说明", 2000, rows=2, required=False)


class ProgressForm(Form):
    note = text_field("进展情况", 2000, rows=2)
    photo = forms.FileField(label="现场照片（可选）", required=False)
    lat = forms.FloatField(widget=forms.HiddenInput, required=False, min_value=-90, max_value=90)
    lng = forms.FloatField(widget=forms.HiddenInput, required=False, min_value=-180, max_value=180)

    def clean_photo(self):
        # Refused by its size before it is read into memory; the service checks the bytes.
        upload = self.cleaned_data["photo"]
        if upload and upload.size > MAX_PHOTO_BYTES:
            raise forms.ValidationError("照片过大（压缩后须小于 600 KB）。")
        return upload

    def service_args(self) -> dict:
        data = self.cleaned_data
        upload = data["photo"]
        located = data["lat"] is not None and data["lng"] is not None
        return {
            "note": data["note"],
            "photo": upload.read() if upload else None,
            "location": {"lat": data["lat"], "lng": data["lng"]} if located else None,
        }


class ResourceForm(Form):
    resource = forms.TypedChoiceField(
        label="可调用的资源", coerce=int, error_messages={**REQUIRED, "invalid_choice": "该资源不可调用。"}
    )

    def __init__(self, *args, resources: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["resource"].choices = [("", "请选择"), *resources]


class StandDownForm(Form):
    summary = text_field("处置总结（终止响应的理由、经验教训）", 5000, rows=4)


class LostItemForm(Form):
    ID_PREFIX = "item"
    kind = forms.ChoiceField(label="登记类别", choices=LostItem.Kind.choices, error_messages=REQUIRED)
    description = text_field("物品描述", 300)
    place = text_field("地点", 100)
    at = when_field("丢失/拾得时间")


class ReturnForm(Form):
    to_name = text_field("领取人姓名", 50)
    id_checked = forms.BooleanField(label="已核验领取人身份证件", required=False)


class MissingForm(Form):
    ID_PREFIX = "missing"
    name = text_field("走失人员姓名", 50)
    description = text_field("体貌特征（年龄、衣着等）", 2000, rows=2)
    last_seen_at = when_field("最后出现时间")
    place = text_field("最后出现地点", 100)


class SightingForm(Form):
    ID_PREFIX = "sighting"
    place = text_field("看到的地点", 100)
    at = when_field("看到的时间")
    note = text_field("情况（谁看到、往哪个方向）", 500, required=False)


class ResourceRegisterForm(Form):
    kind = forms.ChoiceField(label="类别", choices=Resource.Kind.choices, error_messages=REQUIRED)
    name = text_field("名称", 100)
    quantity = forms.IntegerField(
        label="数量",
        initial=1,
        error_messages={**REQUIRED, "invalid": "请输入整数。"},
    )
    place = text_field("存放/驻扎地点", 100)


class DutyShiftForm(Form):
    ID_PREFIX = "duty"
    on = forms.DateField(
        label="日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={**REQUIRED, "invalid": "请输入有效的日期。"},
    )
    shift = forms.ChoiceField(label="班次", choices=DutyShift.Shift.choices, error_messages=REQUIRED)
    commander = forms.TypedChoiceField(
        label="值班领导", coerce=int, error_messages={**REQUIRED, "invalid_choice": "请从本辖区人员中选择。"}
    )
    members = forms.TypedMultipleChoiceField(
        label="值班人员",
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        error_messages={"required": "请至少安排一名值班人员。", "invalid_choice": "请从本辖区人员中选择。"},
    )

    def __init__(self, *args, people: list[tuple[int, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commander"].choices = [("", "请选择"), *people]
        self.fields["members"].choices = people


class FollowupCaseForm(Form):
    ID_PREFIX = "followup"
    kind = forms.ChoiceField(
        label="类别",
        choices=[("dispute", "矛盾纠纷"), ("appeal", "求助/投诉/建议"), ("hazard", "隐患")],
        error_messages=REQUIRED,
    )
    title = text_field("事项标题", 200)
    description = text_field("情况描述", 2000, rows=2, required=False)
    parties = text_field("当事人（矛盾纠纷必填，多人用顿号分隔）", 200, required=False)

    def service_args(self) -> dict:
        data = dict(self.cleaned_data)
        names = [n.strip() for n in data.pop("parties").replace(",", "、").replace("，", "、").split("、")]
        data["parties"] = [{"name": n, "role": "applicant"} for n in names if n]
        return data


class CallListForm(Form):
    ID_PREFIX = "call"
    name = text_field("姓名", 50)
    phone = text_field("手机号码", 20)
    note = text_field("身份/岗位（可选）", 100, required=False)


class ReasonForm(Form):
    reason = text_field("移出原因", 200)


class HandOverForm(Form):
    ID_PREFIX = "handover"
    to = text_field("接收单位", 100)
    signed_by = text_field("接收人签收（姓名）", 50)
