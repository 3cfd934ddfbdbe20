"""The 吹哨报到 panel of the case page: the case's whistles, open ones first, with the forms this
member may send now, and the form just refused drawn again with what was typed."""

from dataclasses import dataclass, field

from django import forms

from yimen.cases import rules, selectors, services
from yimen.cases.forms import ArriveForm, WhistleForm, WhistleRateForm, WhistleReleaseForm
from yimen.cases.models import Case, Whistle, WhistleCall


@dataclass
class Failed:
    """The form just refused: which step, on which whistle (and unit), with the message."""

    step: str
    form: forms.Form
    error: str
    whistle_id: int | None = None
    unit: str = ""


@dataclass
class WhistleRow:
    whistle: Whistle
    arrive: ArriveForm | None = None
    release: forms.Form | None = None
    calls: list[tuple[WhistleCall, forms.Form | None]] = field(default_factory=list)  # with its rating form
    failed: Failed | None = None


def _row(member, case: Case, whistle: Whistle, failed: Failed | None) -> WhistleRow:
    mine = failed if failed and failed.whistle_id == whistle.pk else None
    row = WhistleRow(whistle=whistle, failed=mine)
    active = case.state in Case.ACTIVE
    calls = list(whistle.calls.all())
    if active and whistle.is_open and any(c.unit_id == member.unit_id and not c.arrived_at for c in calls):
        row.arrive = ArriveForm()
    rates = rules.is_whistler(member, case, whistle)
    row.calls = [(c, _rate_form(c, mine) if rates and c.arrived_at and not c.rating else None) for c in calls]
    if rates and whistle.is_open:
        row.release = mine.form if mine and mine.step == "release" else WhistleReleaseForm()
    return row


def _rate_form(call: WhistleCall, failed: Failed | None) -> forms.Form:
    if failed and failed.step == "rate" and failed.unit == call.unit.code:
        return failed.form
    return WhistleRateForm(initial={"unit": call.unit.code})


def panel(member, case: Case, failed: Failed | None = None) -> dict:
    """The 吹哨报到 panel's context: the whistles with the forms this member may send now."""
    blow = None
    if member.has_perm("case.whistle") and rules.is_whistler(member, case) and case.state in Case.ACTIVE:
        blow = failed.form if failed and failed.step == "blow" else WhistleForm(units=services.summonable_units(case))
    rows = [_row(member, case, whistle, failed) for whistle in selectors.case_whistles(case=case)]
    return {"rows": rows, "blow": blow, "failed": failed, "shown": bool(rows or blow)}
