"""Forms for the registry's pages. They only parse input; the rules live in services."""

from django import forms
from django.utils import timezone

from yimen.core.forms import DATE_ERROR, BootstrapBoundField, date_input
from yimen.geo.models import Member, Region
from yimen.people import selectors
from yimen.people.models import ResidentNote
from yimen.people.services import PURPOSE_MAX


def region_choices(member: Member) -> list[tuple[str, str]]:
    """The member's jurisdiction and the two levels below it (a town: villages and grids; a grid:
    its micro-grids): enough to narrow a search without a list of hundreds."""
    jurisdiction = member.jurisdiction
    below = (
        Region.objects.subtree(jurisdiction)
        .filter(depth__in=[jurisdiction.depth + 1, jurisdiction.depth + 2])
        .exclude(level=Region.Level.SPECIAL)
        .order_by("path")
    )
    indent = {jurisdiction.depth + 2: "　"}
    return [("", f"全部（{jurisdiction.name}）")] + [
        (region.code, f"{indent.get(region.depth, '')}{region.name}") for region in below
    ]


class PersonSearchForm(forms.Form):
    bound_field_class = BootstrapBoundField

    q = forms.CharField(label="姓名 / 身份证号 / 手机号", max_length=50, required=False)
    # Unknown values are not echoed: a hidden tag must look exactly like a typo.
    region = forms.ChoiceField(
        label="区域", required=False, error_messages={"invalid_choice": "没有这个区域，或不在您的管辖范围内。"}
    )
    tag = forms.ChoiceField(label="标签", required=False, error_messages={"invalid_choice": "没有这个标签。"})

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs.update(
            {"type": "search", "placeholder": "姓名（两个字即可）、完整身份证号或手机号"}
        )
        self.fields["region"].choices = region_choices(member)
        tags = selectors.tags_visible(member)
        self.fields["tag"].choices = [("", "全部标签")] + [(tag.code, tag.name) for tag in tags]


class RevealForm(forms.Form):
    bound_field_class = BootstrapBoundField

    purpose = forms.CharField(
        label="查看目的",
        max_length=PURPOSE_MAX,
        help_text="将与您的姓名、单位、时间和 IP 一并记入审计日志。",
        error_messages={"required": "请填写查看目的。", "max_length": f"最多 {PURPOSE_MAX} 个字。"},
    )


class NoteForm(forms.Form):
    bound_field_class = BootstrapBoundField

    kind = forms.ChoiceField(label="类别", choices=ResidentNote.Kind.choices, initial=ResidentNote.Kind.VISIT)
    happened_on = forms.DateField(label="日期", widget=date_input(), error_messages=DATE_ERROR)
    text = forms.CharField(
        label="内容",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写内容。", "max_length": "内容最多 2000 个字。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["happened_on"].initial = timezone.localdate()


class PoliceContactForm(forms.Form):
    bound_field_class = BootstrapBoundField

    joined_on = forms.DateField(
        label="加入日期",
        required=False,
        widget=date_input(),
        error_messages=DATE_ERROR,
        help_text="留空表示退出警民联系",
    )
