"""吹哨报到: blowing the whistle, arriving, rating the units that came, releasing."""

from django import forms

from yimen.cases.forms.fields import NUMBER_ERRORS, text_field
from yimen.core.forms import BootstrapBoundField
from yimen.org.models import Unit


class WhistleForm(forms.Form):
    bound_field_class = BootstrapBoundField

    units = forms.MultipleChoiceField(
        label="召集单位（可多选）",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "不能召集该单位。"},
    )
    place = forms.CharField(label="报到地点", required=False, max_length=200)
    reason = text_field("吹哨事由")
    arrive_within_minutes = forms.IntegerField(
        label="报到时限（分钟）", initial=30, required=False, error_messages=NUMBER_ERRORS
    )

    def __init__(self, *args, units: list[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["units"].choices = [(unit.code, unit.name) for unit in units]


class ArriveForm(forms.Form):
    """报到: the phone's position, when the browser gave it (filled in by whistles.js)."""

    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)

    def location(self) -> dict | None:
        lat, lng = self.cleaned_data.get("lat"), self.cleaned_data.get("lng")
        return None if lat is None and lng is None else {"lat": lat, "lng": lng}


class WhistleRateForm(forms.Form):
    bound_field_class = BootstrapBoundField

    unit = forms.CharField(widget=forms.HiddenInput, max_length=40)
    rating = forms.TypedChoiceField(
        label="评价",
        choices=[(str(n), f"{n} 分") for n in (5, 4, 3, 2, 1)],
        coerce=int,
        error_messages={"required": "请选择评价。", "invalid_choice": "请选择评价。"},
    )


class WhistleReleaseForm(forms.Form):
    bound_field_class = BootstrapBoundField

    reason = text_field("撤哨理由（事不完人不撤：请说明事情如何了结）")
