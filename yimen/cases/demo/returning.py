"""A returning caller this morning (issue 14 parts 8–9): the applicant of a dispute closed in
the last months comes back to the window because the other side has not done what was agreed.
The clerk registers it through the service with the same phone, so the clerk's home lists it
under 重复来访 and a search of the case list by that phone finds both cases."""

from datetime import timedelta

from yimen.cases import services
from yimen.cases.demo.world import _World
from yimen.cases.models import Case, Party
from yimen.core.crypto import sm4_decrypt

RECENT = timedelta(days=90)


def _returning_visitor(world: _World) -> int:
    clerk = world.clerk
    if clerk is None:
        return 0
    earlier = (
        Party.objects.filter(
            role=Party.Role.APPLICANT,
            case__kind="dispute",
            case__state__in=(Case.State.CLOSED, Case.State.FOLLOWED_UP),
            case__received_at__gte=world.now - RECENT,
            case__in=Case.objects.visible_to(clerk),  # the window's own earlier case: its hint shows it
        )
        .exclude(phone_cipher="")
        .select_related("case", "case__region")
        .order_by("-case__received_at")
        .first()
    )
    if earlier is None:
        return 0
    case = earlier.case
    services.case_register(
        actor=clerk,
        kind="dispute",
        channel="visit",
        region=case.region.code,
        title=f"{earlier.name}再次来访：对方未按调解意见履行",
        description=f"当事人称此前反映的纠纷（{case.code}）经调解后，对方至今未按约定履行，要求督促落实。",
        parties=[
            {
                "name": earlier.name,
                "role": "applicant",
                "phone": sm4_decrypt(earlier.phone_cipher),
                "person_id": earlier.person_id,
            }
        ],
    )
    return 1
