"""The citizen's rating of a case (public page, no login)."""

from django import forms

from yimen.core.forms import BootstrapBoundField


class RatingForm(forms.Form):
    """The citizen's rating on the public page (once, after close)."""

    bound_field_class = BootstrapBoundField

    rating = forms.TypedChoiceField(
        label="您对办理结果的评价",
        choices=[
            (str(n), label)
            for n, label in ((5, "非常满意"), (4, "满意"), (3, "基本满意"), (2, "不满意"), (1, "非常不满意"))
        ],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择评价。", "invalid_choice": "请选择评价。"},
    )
    note = forms.CharField(
        label="意见建议（可不填）", required=False, max_length=500, widget=forms.Textarea({"rows": 3})
    )
    # The SMS code sent to the applicant's phone (issue 19): the token alone proves nothing.
    code = forms.RegexField(
        label="短信验证码",
        regex=r"^\d{6}$",
        widget=forms.TextInput({"inputmode": "numeric", "autocomplete": "one-time-code"}),
        error_messages={"required": "请填写短信验证码。", "invalid": "验证码为 6 位数字。"},
    )


# ---------------------------------------------------------------------------------------------
# 吹哨报到: beside the case, so no version (yimen/cases/services/whistles.py)
