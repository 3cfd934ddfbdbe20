from ninja import Router

router = Router(tags=["实有人口"])
