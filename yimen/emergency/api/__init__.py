"""API: emergency command and the 快警站 (API.md "v1 additions (second batch)"): one router made of
the incidents' and the station's."""

from ninja import Router

from yimen.emergency.api.incidents import router as incidents
from yimen.emergency.api.station import router as station

router = Router()
router.add_router("", incidents)
router.add_router("", station)
