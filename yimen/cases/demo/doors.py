"""Today at the other units' doors (issue 14, 首接负责), through the services themselves: the police
register this morning's 110 call about the uncle–nephew fight with its record number and leave
it in the centre's 待受理 queue (the boundary behind it is the 司法所's by the catalogue); a
theft call the catalogue gives the police they take themselves (自办) and note the call-back."""

from django.utils import timezone

from yimen.cases import services
from yimen.core.calendar import SHANGHAI
from yimen.org.models import Membership


def _police() -> Membership | None:
    return (
        Membership.objects.filter(user__username="police", is_active=True)
        .select_related("unit", "jurisdiction", "user")
        .first()
    )


def _doors_today() -> int:
    """The timeline events written (0 without the police login)."""
    police = _police()
    if police is None:
        return 0
    today = timezone.localtime(timezone.now(), SHANGHAI).strftime("%Y%m%d")
    services.case_register(
        actor=police,
        kind="dispute",
        channel="phone",
        source_ref=f"110-{today}-0032",
        region="450324106200",
        category="dispute.land.boundary",
        risk="orange",
        title="110 接警：唐德明与侄子唐志强因田土界桩再次发生扭打",
        description="07:40 接 110 指令，民警到场时双方已被村民劝开，唐德明手臂擦伤。"
        "双方因责任田与自留山交界处界桩移位积怨已久，现场表示不再往来，有再次冲突的风险，需司法所牵头调解。",
        parties=[
            {"name": "唐德明", "role": "applicant", "phone": "19900009011"},
            {"name": "唐志强", "role": "respondent", "phone": "19900009012"},
        ],
    )
    theft = services.case_register(
        actor=police,
        kind="incident",
        channel="phone",
        source_ref=f"110-{today}-0037",
        region="450324106200",
        category="incident.theft",
        title="110 接警：蒋永福家院内电动车电瓶被盗",
        parties=[{"name": "蒋永福", "role": "applicant", "phone": "19900009013"}],
    ).case
    theft = services.case_take(case=theft, actor=police, version=theft.version, note="本所受理，民警已出警勘查现场。")
    services.case_note(
        case=theft,
        actor=police,
        version=theft.version,
        text="已调取村口监控，发现可疑人员一名，正在比对。",
        contact={"party": 0, "channel": "phone", "result": "已接通，告知报警人调查进展，报警人表示认可"},
    )
    return 4
