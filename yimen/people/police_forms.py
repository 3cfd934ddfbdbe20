"""Forms of the 隆回微警 pages: a police contact on the person card and an anti-fraud alert.
They only parse input; the rules live in yimen/people/police.py."""

from django import forms
from django.utils import timezone

from yimen.core.forms import DATE_ERROR, BootstrapBoundField, date_input
from yimen.geo.models import Member, Region
from yimen.people import selectors
from yimen.people.models import PoliceContact
from yimen.people.rules import OUTSIDE


class ContactForm(forms.Form):
    bound_field_class = BootstrapBoundField

    channel = forms.ChoiceField(
        label="联系方式",
        choices=PoliceContact.Channel.choices,
        initial=PoliceContact.Channel.WECHAT,
        error_messages={"invalid_choice": "请选择联系方式：微信好友、电话或走访。", "required": "请选择联系方式。"},
    )
    contacted_on = forms.DateField(label="联系日期", widget=date_input(), error_messages=DATE_ERROR)
    verified = forms.BooleanField(label="已核实身份", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacted_on"].initial = timezone.localdate()


class AlertForm(forms.Form):
    bound_field_class = BootstrapBoundField

    title = forms.CharField(label="标题", max_length=50, error_messages={"required": "请填写标题。"})
    text = forms.CharField(
        label="预警内容",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "请填写预警内容。", "max_length": "预警内容最多 300 个字。"},
        help_text="发给本区域已建立警民联系且有手机号的群众；报告中不显示任何手机号。",
    )
    region = forms.ChoiceField(
        label="区域", error_messages={"invalid_choice": f"所选区域{OUTSIDE}", "required": "请选择区域。"}
    )
    tag = forms.ChoiceField(label="标签人群（可选）", required=False, error_messages={"invalid_choice": "未知标签。"})

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        jurisdiction = member.jurisdiction
        below = (
            Region.objects.subtree(jurisdiction)
            .filter(level__in=[Region.Level.TOWN, Region.Level.VILLAGE, Region.Level.GRID])
            .order_by("path")
        )
        self.fields["region"].choices = [(region.code, region.name) for region in below]
        self.fields["tag"].choices = [("", "全部群众")] + [(t.code, t.name) for t in selectors.tags_visible(member)]

    def clean_region(self) -> Region:
        return Region.objects.get(code=self.cleaned_data["region"])
