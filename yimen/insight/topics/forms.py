"""The governance project form: parsing only; the rules are governance_project_create's."""

from django import forms

from yimen.core.forms import BootstrapBoundField


class ProjectForm(forms.Form):
    bound_field_class = BootstrapBoundField

    owner = forms.ChoiceField(label="牵头单位", error_messages={"required": "请选择牵头单位。"})
    goal = forms.CharField(
        label="治理目标",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写治理目标。"},
    )
    milestones = forms.CharField(
        label="节点",
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "2026-12-31 完成排查"}),
        help_text="每行一个：YYYY-MM-DD 内容",
        error_messages={"required": "请至少填写一个节点。"},
    )
    prevents = forms.CharField(
        label="要预防的案件",
        max_length=500,
        help_text="此后每月按本题关键词统计这类案件，看是否下降。",
        error_messages={"required": "请填写要预防的案件。"},
    )

    def __init__(self, *args, units: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "请选择"), *units]
