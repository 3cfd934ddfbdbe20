"""Forms of the command centre's pages. They only parse input; the rules live in services and
in kpis.period (which gives the Chinese messages for impossible periods)."""

from django import forms

from yimen.cases.forms import MOMENT_ERRORS, CaseFilterForm, moment_input
from yimen.core.forms import BootstrapBoundField, date_input
from yimen.insight.models import JointMeeting, MeetingAction
from yimen.people.services import PURPOSE_MAX

DATE_ERROR = {"invalid": "请输入有效日期，格式为 YYYY-MM-DD。", "required": "请填写日期。"}


class DatesForm(forms.Form):
    """A period (the public ranking's); checked by kpis.period_parse."""

    bound_field_class = BootstrapBoundField

    since = forms.CharField(label="起始日期", required=False, max_length=10, widget=date_input())
    until = forms.CharField(label="截止日期", required=False, max_length=10, widget=date_input())


class PeriodForm(DatesForm):
    """Region and period of the dashboard; the period is checked by kpis.period_parse."""

    region = forms.ChoiceField(label="区域", required=False)

    field_order = ["region", "since", "until"]

    def __init__(self, *args, regions: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = regions


class PurposeMixin(forms.Form):
    purpose = forms.CharField(
        label="导出目的",
        max_length=PURPOSE_MAX,
        help_text="将与您的姓名、单位、时间、条件和导出行数一并记入审计日志。",
        error_messages={"required": "请填写导出目的。", "max_length": f"最多 {PURPOSE_MAX} 个字。"},
    )


class CaseExportForm(CaseFilterForm, PurposeMixin):
    """The case list's filters and a purpose."""


class KpiExportForm(PeriodForm, PurposeMixin):
    """The dashboard's region and period and a purpose."""


class MeetingForm(forms.Form):
    bound_field_class = BootstrapBoundField

    held_on = forms.DateField(label="会议日期", widget=date_input(), error_messages=DATE_ERROR)
    title = forms.CharField(label="会议名称", max_length=100, initial="半月联席会议")
    place = forms.CharField(label="地点", max_length=100, required=False)
    attendees = forms.CharField(label="参会人员（每行一人）", widget=forms.Textarea({"rows": 4}))
    decisions = forms.CharField(label="议定事项（每行一项）", widget=forms.Textarea({"rows": 4}))


class ScheduleForm(forms.Form):
    """召开会议或会商: a meeting still to be held, or a 会商 on a case or a person; the rules (who,
    which case or person, how long the file stays open) are meeting_schedule's."""

    bound_field_class = BootstrapBoundField

    held_at = forms.DateTimeField(label="召开时间", widget=moment_input(), error_messages=MOMENT_ERRORS)
    kind = forms.ChoiceField(label="会议类型", choices=JointMeeting.Kind.choices)
    topic = forms.CharField(label="议题", max_length=100)
    units = forms.MultipleChoiceField(
        label="参会单位", widget=forms.CheckboxSelectMultiple, error_messages={"required": "请至少邀请一个单位。"}
    )
    case = forms.CharField(label="会商案件编码（会商就一案时填写）", max_length=32, required=False)
    person = forms.IntegerField(
        label="会商人员编号（重点人员会商时填写）",
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        error_messages={"invalid": "请输入人员编号（整数）。"},
    )
    ends_at = forms.DateTimeField(
        label="会商结束时间（默认召开后 4 小时，最长 3 天）",
        required=False,
        widget=moment_input(),
        error_messages=MOMENT_ERRORS,
    )
    place = forms.CharField(label="地点", max_length=100, required=False)

    def __init__(self, *args, units: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = units


class MinutesForm(forms.Form):
    """A scheduled meeting's minutes, under its version (someone else's first → 409)."""

    bound_field_class = BootstrapBoundField

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    attendees = forms.CharField(
        label="参会人员（每行一人：单位 姓名）",
        max_length=5000,
        widget=forms.Textarea({"rows": 4}),
        error_messages={"required": "请填写参会人员。"},
    )
    decisions = forms.CharField(
        label="议定事项（每行一项）",
        max_length=5000,
        widget=forms.Textarea({"rows": 4}),
        error_messages={"required": "请填写议定事项。"},
    )


class ActionForm(forms.Form):
    bound_field_class = BootstrapBoundField

    task = forms.CharField(label="任务", max_length=300)
    owner = forms.ChoiceField(label="责任单位")
    due_on = forms.DateField(label="完成时限", widget=date_input(), error_messages=DATE_ERROR)
    case = forms.CharField(label="关联案件编码（可选）", max_length=32, required=False)

    def __init__(self, *args, units: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [("", "请选择"), *units]


class ActionStatusForm(forms.Form):
    bound_field_class = BootstrapBoundField

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    status = forms.ChoiceField(label="状态", choices=MeetingAction.Status.choices)
    progress = forms.CharField(label="落实情况", max_length=2000, required=False)


class AnswerForm(forms.Form):
    """The owner unit's answer to a meeting's item (落实情况)."""

    bound_field_class = BootstrapBoundField

    text = forms.CharField(
        label="落实情况",
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
        error_messages={"required": "请填写落实情况。"},
    )
