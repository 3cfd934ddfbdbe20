"""Forms for core's pages. They only parse input; the rules live in services."""

from django import forms
from django.forms import BoundField

from yimen.core.audit import ACTION_LABELS
from yimen.core.errors import DomainError, Invalid, settle
from yimen.core.models import AuditEntry, SecurityPolicy
from yimen.core.schemas import parse_id
from yimen.core.services import SECURITY_POLICY_RANGES, SECURITY_POLICY_SWITCHES


def add_service_errors(form: forms.Form, exc: DomainError) -> None:
    """Show a service's refusal on the form: field messages by their field, the rest on top;
    the refusal's aftermath (errors.settle) runs now, after its transaction rolled back."""
    settle(exc)
    for field, messages in exc.errors.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
    if not exc.errors:
        form.add_error(None, exc.message)


class RecordsField(forms.ModelMultipleChoiceField):
    """A choice of several records that refuses anything but record ids (parse_id) as a field
    error before Django's `pk__in` query, which SQLite cannot bind past 64 bits (a 500)."""

    def _check_values(self, value):
        for pk in value:
            try:
                parse_id(str(pk), field=self.label or "")
            except Invalid:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                ) from None
        return super()._check_values(value)


class BootstrapBoundField(BoundField):
    """Bootstrap 5 classes on every widget, and is-invalid once the field has an error (also one
    a service added after validation), so that templates can render `{{ field }}` as it is."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if widget.is_hidden:
            return attrs
        classes = [attrs.get("class", "")]
        if isinstance(widget, forms.CheckboxInput):
            classes.append("form-check-input")
        else:
            classes.append("form-select" if isinstance(widget, forms.Select) else "form-control")
        if self.errors:
            classes.append("is-invalid")
        attrs["class"] = " ".join(c for c in classes if c)
        return attrs


DATE_ERROR = {"invalid": "请输入有效日期，格式为 YYYY-MM-DD，例如 2026-01-31。"}


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    bound_field_class = BootstrapBoundField

    actor = forms.CharField(label="用户名", max_length=150, required=False)
    action = forms.ChoiceField(label="操作", required=False)
    since = forms.DateField(label="起始日期", required=False, widget=date_input(), error_messages=DATE_ERROR)
    until = forms.DateField(label="截止日期", required=False, widget=date_input(), error_messages=DATE_ERROR)
    result = forms.ChoiceField(label="结果", required=False, choices=[("", "全部结果"), *AuditEntry.Result.choices])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Read when the form is built: apps may add their labels while Django starts up.
        self.fields["action"].choices = [("", "全部操作"), *ACTION_LABELS.items()]

    def clean(self):
        # An inverted range selects nothing; on the page that is a slip worth pointing at.
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", "截止日期不能早于起始日期。")
        return data


class SecurityPolicyForm(forms.Form):
    """The secadmin's policy form. min/max only guide the browser; the service enforces them."""

    bound_field_class = BootstrapBoundField
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (low, high) in SECURITY_POLICY_RANGES.items():
            self.fields[name] = forms.IntegerField(
                label=SecurityPolicy._meta.get_field(name).verbose_name,
                help_text=f"允许范围 {low}–{high}",
                widget=forms.NumberInput(attrs={"min": low, "max": high}),
                error_messages={"required": "此项为必填项。", "invalid": "请输入整数。"},
            )
        for name in SECURITY_POLICY_SWITCHES:
            self.fields[name] = forms.BooleanField(
                label=SecurityPolicy._meta.get_field(name).verbose_name,
                required=False,
                help_text="系统管理员、安全管理员、安全审计员及可查看身份证号与电话的角色，登录和申请接口令牌时"
                "须在密码之外输入手机身份验证器上的 6 位动态口令。",
            )


CALENDAR_DATE_ERRORS = {"required": "请填写日期。", "invalid": "日期无效，请按 YYYY-MM-DD 填写，例如 2027-10-01。"}


class CalendarDayForm(forms.Form):
    """One day of the State Council's holiday notice. The service checks the year, the name and
    duplicates, and its messages land on these fields."""

    bound_field_class = BootstrapBoundField
    date = forms.DateField(label="日期", widget=date_input(), error_messages=CALENDAR_DATE_ERRORS)
    is_workday = forms.TypedChoiceField(
        label="安排",
        choices=[("false", "放假休息"), ("true", "调休上班")],
        coerce=lambda value: value == "true",
        error_messages={"required": "请选择放假休息或调休上班。", "invalid_choice": "请选择放假休息或调休上班。"},
    )
    name = forms.CharField(label="名称", required=False, help_text="如 国庆节、春节；调休上班日写所调的节日")
    replace = forms.BooleanField(required=False, widget=forms.HiddenInput)


class CalendarDayRemoveForm(forms.Form):
    date = forms.DateField(widget=forms.HiddenInput, error_messages=CALENDAR_DATE_ERRORS)


class CalendarYearForm(forms.Form):
    bound_field_class = BootstrapBoundField
    year = forms.IntegerField(
        label="年度", error_messages={"required": "请填写年度。", "invalid": "请输入四位年份，例如 2027。"}
    )
    source = forms.CharField(
        label="依据", required=False, help_text="国务院办公厅放假通知的文号，如 国办发明电〔2026〕7号"
    )
