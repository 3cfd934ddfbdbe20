"""Points' rows of the permission matrix (tests/test_permission_matrix.py)."""

API_READS = {
    "/api/v1/points/rules": ("points.view", "/api/v1/points/rules?village=450324106200"),
    "/api/v1/points/board": ("points.view", "/api/v1/points/board?village=450324106200&month=2026-11"),
    "/api/v1/households/{household_id}/points": ("points.view", "/api/v1/households/1/points"),
    "/api/v1/points/appeals": ("points.view", "/api/v1/points/appeals?village=450324106200"),
    "/api/v1/points/wishes": ("points.view", "/api/v1/points/wishes?village=450324106200"),
    "/api/v1/points/meetings": ("points.view", "/api/v1/points/meetings?village=450324106200"),
    "/api/v1/points/best": ("points.view", "/api/v1/points/best?village=450324106200&year=2026"),
    "/api/v1/points/report": ("points.view", "/api/v1/points/report?village=450324106200&month=2026-11"),
}


def samples(seats) -> dict:
    return {"award_id": "1", "appeal_id": "1", "entry_id": "1", "redemption_id": "1", "wish_id": "1", "photo_id": "1"}
