"""登记: the intake desk's form and its party rows."""

from django import forms

from yimen.cases.forms.fields import MOMENT_ERRORS, NUMBER_ERRORS, moment_input
from yimen.cases.models import Channel, Kind, Party, PetitionType, Risk
from yimen.core.forms import BootstrapBoundField
from yimen.core.schemas import ID_MAX
from yimen.org.models import Unit


class IntakeForm(forms.Form):
    """登记: the intake desk. `idempotency_key` is made when the page is drawn, so a double click
    or a resubmitted page registers once."""

    bound_field_class = BootstrapBoundField

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)
    kind = forms.ChoiceField(label="事项种类", choices=Kind.choices, initial=Kind.DISPUTE)
    channel = forms.ChoiceField(label="来源渠道", choices=Channel.choices, initial=Channel.VISIT)
    source_ref = forms.CharField(
        label="来源编号",
        required=False,
        max_length=60,
        help_text="本单位的原始编号，如 110 接警单号，便于两边记录互查。",
        error_messages={"max_length": "来源编号最多 60 个字。"},
    )
    # Required, but the service says so together with its other checks (all errors at once).
    title = forms.CharField(
        label="标题", required=False, max_length=200, error_messages={"max_length": "标题最多 200 字。"}
    )
    description = forms.CharField(label="内容", required=False, max_length=5000, widget=forms.Textarea({"rows": 3}))
    received_at = forms.DateTimeField(
        label="收到时间", required=False, widget=moment_input(), error_messages=MOMENT_ERRORS
    )
    occurred_at = forms.DateTimeField(
        label="发生时间", required=False, widget=moment_input(), error_messages=MOMENT_ERRORS
    )
    category = forms.CharField(label="事项类别", required=False, max_length=60)
    region = forms.CharField(label="所在区域", max_length=24, error_messages={"required": "请选择所在区域。"})
    lat = forms.FloatField(required=False, widget=forms.HiddenInput)
    lng = forms.FloatField(required=False, widget=forms.HiddenInput)
    risk = forms.ChoiceField(label="风险等级", required=False, choices=[("", "按规则自动评定"), *Risk.choices])
    group_size = forms.IntegerField(
        label="涉及人数", required=False, min_value=1, max_value=100_000, error_messages=NUMBER_ERRORS
    )
    petition_type = forms.ChoiceField(label="信访类型", required=False, choices=[("", "—"), *PetitionType.choices])
    accused_units = forms.MultipleChoiceField(
        label="被检举控告单位",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "没有这个单位。"},
    )
    accused_users = forms.CharField(
        label="被检举控告的工作人员账号",
        required=False,
        max_length=500,
        help_text="多个账号用空格或逗号分隔；被检举控告人本人看不到该件。",
    )
    review_of = forms.CharField(
        label="复查/复核的原信访事项编码",
        required=False,
        max_length=32,
        help_text="请求复查或复核时填写；复查须在收到处理意见书之日起 30 日内提出。",
    )

    def __init__(self, *args, units: list[Unit], categories_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accused_units"].choices = [(unit.code, unit.name) for unit in units]
        # A new kind brings its own categories (the category select is swapped in by htmx).
        self.fields["kind"].widget.attrs.update(
            {"hx-get": categories_url, "hx-trigger": "change", "hx-target": "#category-field", "hx-swap": "outerHTML"}
        )
        self.fields["title"].widget.attrs.update(
            {"autofocus": True, "placeholder": "一句话说明事项，如 叔侄宅基地边界纠纷"}
        )
        self.fields["received_at"].help_text = "法定期限自收到之日起算；来信请填邮戳日期。"

    def payload(self) -> dict:
        """The service's keyword arguments (parties are added by the view)."""
        data = self.cleaned_data
        location = (
            {"lat": data["lat"], "lng": data["lng"]} if data["lat"] is not None and data["lng"] is not None else None
        )
        return {
            "kind": data["kind"],
            "title": data["title"],
            "description": data["description"],
            "channel": data["channel"],
            "source_ref": data["source_ref"],
            "region": data["region"],
            "location": location,
            "occurred_at": data["occurred_at"],
            "received_at": data["received_at"],
            "category": data["category"] or None,
            "risk": data["risk"] or None,
            "petition_type": data["petition_type"] or None,
            "accused_units": data["accused_units"],
            "group_size": data["group_size"],
            "review_of": data["review_of"].strip() or None,
            "accused_users": data["accused_users"].replace("，", ",").replace(",", " ").split(),
        }


class PartyForm(forms.Form):
    """One party row; a row left blank is skipped, the service checks the rest."""

    bound_field_class = BootstrapBoundField

    name = forms.CharField(label="姓名/名称", required=False, max_length=100)
    role = forms.ChoiceField(label="身份", choices=Party.Role.choices, initial=Party.Role.APPLICANT)
    phone = forms.CharField(label="电话", required=False, max_length=30)
    id_number = forms.CharField(label="身份证号", required=False, max_length=20)
    person_id = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1, max_value=ID_MAX)
    person_label = forms.CharField(required=False, widget=forms.HiddenInput, max_length=200)

    def __init__(self, *args, search_url: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        if search_url:  # registry autocomplete as the name is typed
            self.fields["name"].widget.attrs.update(
                {
                    "hx-get": search_url,
                    "hx-trigger": "input changed delay:350ms",
                    "hx-target": "next .person-suggestions",
                    "hx-swap": "innerHTML",
                }
            )

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return not any(data.get(f) for f in ("name", "phone", "id_number", "person_id"))

    def payload(self) -> dict:
        data = self.cleaned_data
        party = {"name": data["name"], "role": data["role"], "phone": data["phone"], "id_number": data["id_number"]}
        return {**party, "person_id": data["person_id"]} if data["person_id"] else party


PartyFormSet = forms.formset_factory(PartyForm, extra=0, max_num=50, absolute_max=50, validate_max=True)
