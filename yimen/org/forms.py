"""Forms for the system administrator's pages. Rules live in services; forms only parse."""

from django import forms

from yimen.core.forms import add_service_errors
from yimen.org.roles import Role

__all__ = ["OtpForm", "PasswordForm", "SeatForm", "UnitForm", "UserCreateForm", "add_service_errors"]


class UserCreateForm(forms.Form):
    username = forms.RegexField(
        label="用户名",
        regex=r"^[A-Za-z0-9_.-]{3,30}$",
        max_length=30,
        error_messages={"invalid": "3–30 位字母、数字或 _ . -"},
    )
    name = forms.CharField(label="姓名", max_length=50)
    password = forms.CharField(
        label="初始密码", widget=forms.PasswordInput, help_text="至少 8 位，含大写、小写、数字、符号中的 3 类"
    )


class OtpForm(forms.Form):
    """The second step of sign-in (and of enrolment): a code from the authenticator app."""

    code = forms.CharField(
        label="动态口令",
        max_length=20,
        error_messages={"required": "请输入手机上显示的 6 位动态口令。"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class PasswordForm(forms.Form):
    password = forms.CharField(label="新密码", widget=forms.PasswordInput)


class SeatForm(forms.Form):
    unit = forms.CharField(label="单位代码", max_length=40)
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    jurisdiction = forms.CharField(label="管辖范围代码", max_length=24, required=False, help_text="留空为单位辖区")


class UnitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(label="名称", max_length=100)
    phone = forms.CharField(label="值班电话", max_length=20, required=False)
    is_active = forms.BooleanField(label="启用", required=False)
