"""Forms of the points pages. They only parse input; the rules live in the services."""

from django import forms

from yimen.core.forms import BootstrapBoundField
from yimen.points.models import Rule


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files under one name (Django's documented pattern); each is checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "data-compress": ""}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(part, initial) for part in data]
        return [single(data, initial)] if data else []


class ProposeForm(forms.Form):
    bound_field_class = BootstrapBoundField

    rule = forms.ChoiceField(label="赋分事项", error_messages={"required": "请选择赋分事项。"})
    note = forms.CharField(label="事由", max_length=500)
    evidence = forms.CharField(label="佐证（证明人或说明）", max_length=500, required=False)
    photos = MultipleFileField(label="照片佐证（最多 3 张）", required=False)

    def __init__(self, *args, rules: list[Rule], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["note"].error_messages["required"] = "请写明事由。"
        self.fields["rule"].choices = [("", "请选择")] + [
            (r.code, f"{r.get_category_display()} · {r.name}（{r.points:+d} 分）") for r in rules
        ]


class RedeemForm(forms.Form):
    bound_field_class = BootstrapBoundField

    item = forms.ChoiceField(label="兑换物品", error_messages={"required": "请选择物品。"})
    quantity = forms.IntegerField(
        label="数量",
        min_value=1,
        max_value=99,
        initial=1,
        error_messages={"required": "请填写数量。", "invalid": "数量须为整数。", "min_value": "数量至少为 1。"},
    )
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)  # the counter's double tap

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "请选择")] + [
            (str(i.pk), f"{i.name}（{i.price} 分，库存 {i.stock}）") for i in items
        ]


class AppealForm(forms.Form):
    bound_field_class = BootstrapBoundField

    grounds = forms.CharField(label="申诉理由", max_length=500, error_messages={"required": "请写明申诉理由。"})


class StockInForm(forms.Form):
    bound_field_class = BootstrapBoundField

    item = forms.ChoiceField(label="物品", error_messages={"required": "请选择物品。"})
    quantity = forms.IntegerField(
        label="入库数量",
        min_value=1,
        max_value=100000,
        error_messages={"required": "请填写入库数量。", "invalid": "数量须为整数。", "min_value": "入库数量至少为 1。"},
    )
    note = forms.CharField(label="来源（捐赠单位、采购单号）", max_length=200, required=False)

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "请选择")] + [(str(i.pk), i.name) for i in items]


class WishForm(forms.Form):
    bound_field_class = BootstrapBoundField

    text = forms.CharField(label="微心愿", max_length=500, error_messages={"required": "请写明心愿内容。"})


class WishCloseForm(forms.Form):
    bound_field_class = BootstrapBoundField

    state = forms.ChoiceField(
        label="结果",
        choices=[("fulfilled", "已实现"), ("declined", "不予办理")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择结果。"},
    )
    outcome = forms.CharField(
        label="做了什么，或不予办理的理由", max_length=500, error_messages={"required": "请写明结果或不予办理的理由。"}
    )


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self):
        super().__init__(format="%Y-%m-%dT%H:%M")


DECISION_ROWS = 4


class MeetingForm(forms.Form):
    """A meeting held: the simple fields here; the agenda wishes and the decision rows are read
    by `agenda()` and `decisions()` so the page can draw them as lists."""

    bound_field_class = BootstrapBoundField

    kind = forms.ChoiceField(label="形式", error_messages={"required": "请选择议事形式。"})
    held_at = forms.DateTimeField(
        label="时间",
        widget=LocalDateTimeInput(),
        input_formats=["%Y-%m-%dT%H:%M"],
        error_messages={"required": "请填写时间。", "invalid": "请输入有效时间。"},
    )
    place = forms.CharField(label="地点", max_length=100, error_messages={"required": "请填写地点。"})
    attendance = forms.IntegerField(
        label="参会人数",
        min_value=1,
        max_value=10000,
        error_messages={"required": "请填写参会人数。", "invalid": "人数须为整数。", "min_value": "参会人数至少为 1。"},
    )
    notes = forms.CharField(label="其他议题（如待办案件、村务）", max_length=500, required=False)
    wishes = forms.MultipleChoiceField(label="议题（待认领的微心愿）", required=False)

    def __init__(self, *args, kinds, open_wishes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "请选择"), *kinds]
        self.fields["wishes"].choices = [(str(w.pk), w.text) for w in open_wishes]
        self.fields["wishes"].error_messages["invalid_choice"] = "议题只能选本村待认领的微心愿。"
        self.rows = [
            {"n": n, "text": self.data.get(f"decision_{n}", ""), "owner": self.data.get(f"owner_{n}", "")}
            for n in range(DECISION_ROWS)
        ]

    def decisions(self) -> list[tuple[str, str]]:
        return [(row["text"][:300], row["owner"][:50]) for row in self.rows]
