from ninja import Router

router = Router(tags=["调解（三调联动）"])
