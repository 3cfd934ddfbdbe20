from ninja import Router

router = Router(tags=["指挥中心"])
