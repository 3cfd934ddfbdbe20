"""Forms for the camera and patrol-team desk pages. They only parse input and find the chosen
regions and units; the rules (area, levels, codes, versions) live in the services."""

from django import forms

from yimen.core.forms import BootstrapBoundField
from yimen.core.schemas import ID_MAX
from yimen.fieldwork.models import Camera
from yimen.geo.models import Region
from yimen.org.models import Membership, Unit

OUTSIDE_AREA = "所选区域不存在或不在您负责的范围内。"


def _areas(member: Membership, levels) -> list[tuple[str, str]]:
    rows = Region.objects.subtree(member.jurisdiction).filter(level__in=levels).order_by("path")
    return [(r.code, f"{'　' * (r.depth - member.jurisdiction.depth)}{r.name}") for r in rows]


class AreaForm(forms.Form):
    """A form whose `region` is a choice among the member's own areas of the given levels."""

    bound_field_class = BootstrapBoundField
    LEVELS: tuple = ()

    def __init__(self, *args, member: Membership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "请选择"), *_areas(member, self.LEVELS)]

    def clean_region(self) -> Region | None:
        code = self.cleaned_data.get("region")
        return Region.objects.get(code=code) if code else None


class CameraForm(AreaForm):
    LEVELS = (Region.Level.VILLAGE, Region.Level.GRID, Region.Level.MICROGRID, Region.Level.SPECIAL)

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=ID_MAX)
    code = forms.CharField(label="编号", max_length=30, error_messages={"required": "请填写编号。"})
    name = forms.CharField(label="名称", max_length=100, error_messages={"required": "请填写名称，如“才湾村委门口”。"})
    region = forms.ChoiceField(
        label="所在网格", error_messages={"invalid_choice": OUTSIDE_AREA, "required": "请选择所在网格。"}
    )
    lat = forms.FloatField(label="纬度", min_value=-90, max_value=90, error_messages={"required": "请填写纬度。"})
    lng = forms.FloatField(label="经度", min_value=-180, max_value=180, error_messages={"required": "请填写经度。"})
    unit = forms.ModelChoiceField(label="权属单位", queryset=Unit.objects.order_by("code"), required=False)
    owner = forms.CharField(
        label="单位外的权属方", max_length=100, required=False, help_text="未选权属单位时填写，如“才湾中学”"
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["code"]  # the code is the point's label on the pole: fixed once set


class CameraLogForm(forms.Form):
    bound_field_class = BootstrapBoundField

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=ID_MAX)
    status = forms.ChoiceField(label="维护后状态", choices=Camera.Status.choices)
    note = forms.CharField(label="维护说明", max_length=500, required=False, help_text="状态不变时必填，如“清洁镜头”")


class TeamForm(AreaForm):
    LEVELS = (Region.Level.TOWN, Region.Level.VILLAGE, Region.Level.GRID)

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=ID_MAX)
    name = forms.CharField(label="队名", max_length=50, error_messages={"required": "请填写队名。"})
    region = forms.ChoiceField(
        label="巡防区域", error_messages={"invalid_choice": OUTSIDE_AREA, "required": "请选择巡防区域。"}
    )


class RetireForm(forms.Form):
    bound_field_class = BootstrapBoundField

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=ID_MAX)
    reason = forms.CharField(
        label="原因",
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请说明原因。"},
    )


class CiteForm(forms.Form):
    camera = forms.IntegerField(min_value=1, max_value=ID_MAX, error_messages={"required": "请选择监控点。"})
    note = forms.CharField(max_length=200, required=False)
