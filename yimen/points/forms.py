"""Forms of the points pages. They only parse input; the rules live in the services."""

from django import forms

from yimen.core.forms import BootstrapBoundField
from yimen.points.models import Rule


class ProposeForm(forms.Form):
    bound_field_class = BootstrapBoundField

    rule = forms.ChoiceField(label="赋分事项", error_messages={"required": "请选择赋分事项。"})
    note = forms.CharField(label="事由", max_length=500)
    evidence = forms.CharField(label="佐证（照片编号、证明人）", max_length=500, required=False)

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
