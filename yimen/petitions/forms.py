"""Forms for the petition pages. They only parse what was typed; the rules (who may issue, in
which state, which fields are required) live in yimen.petitions.services."""

from django import forms

from yimen.cases.models import PetitionType
from yimen.core.forms import BootstrapBoundField, date_input
from yimen.petitions.models import PetitionRecord

DATE_ERROR = {"invalid": "请输入有效日期，例如 2026-01-31。"}


class VersionForm(forms.Form):
    bound_field_class = BootstrapBoundField

    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, error_messages={"required": "缺少信访记录版本号，请刷新页面。"}
    )


def _text(label: str, rows: int, *, required: bool = True, max_length: int = 5000) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea({"rows": rows}),
        error_messages={"required": f"请填写{label}。", "max_length": f"{label}最多 {max_length} 字。"},
    )


class OpinionForm(VersionForm):
    facts = _text("查明的事实", 4)
    basis = _text("处理依据", 3, max_length=3000)
    opinion = _text("处理意见", 4)
    next_body = forms.CharField(
        label="申请复查/复核的机关", required=False, max_length=100, help_text="不填按规则默认（如 全州县人民政府）。"
    )

    def __init__(self, *args, record: PetitionRecord, **kwargs):
        super().__init__(*args, **kwargs)
        if record.level != PetitionRecord.Level.ORIGINAL:
            self.fields["opinion"].label = f"{record.get_level_display()}意见"
        if record.level == PetitionRecord.Level.REREVIEW:
            del self.fields["next_body"]


class RegisterFilterForm(forms.Form):
    """信访台账 filters (the same as GET /api/v1/petitions)."""

    bound_field_class = BootstrapBoundField

    q = forms.CharField(label="关键词", required=False, max_length=50)
    petition_type = forms.ChoiceField(label="类型", required=False, choices=[("", "全部类型"), *PetitionType.choices])
    level = forms.ChoiceField(label="层级", required=False, choices=[("", "全部层级"), *PetitionRecord.Level.choices])
    repeat = forms.TypedChoiceField(
        label="重复信访",
        required=False,
        choices=[("", "不限"), ("true", "重复信访"), ("false", "非重复")],
        coerce=lambda value: value == "true",
        empty_value=None,
    )
    overdue = forms.TypedChoiceField(
        label="超期",
        required=False,
        choices=[("", "不限"), ("true", "已超期"), ("false", "未超期")],
        coerce=lambda value: value == "true",
        empty_value=None,
    )
    received_since = forms.DateField(label="收到自", required=False, widget=date_input(), error_messages=DATE_ERROR)
    received_until = forms.DateField(label="收到至", required=False, widget=date_input(), error_messages=DATE_ERROR)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update({"type": "search", "placeholder": "编码或标题"})
