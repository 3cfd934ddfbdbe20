"""Rows of the permission matrix (tests/test_permission_matrix.py) for grid work."""

API_READS = {
    "/api/v1/fieldwork/reports": ("fieldwork.use", "/api/v1/fieldwork/reports"),
    "/api/v1/fieldwork/reports/{report_id}": ("fieldwork.use", "/api/v1/fieldwork/reports/1"),
    "/api/v1/fieldwork/households": ("fieldwork.use", "/api/v1/fieldwork/households"),
    "/api/v1/fieldwork/tasks": ("fieldwork.use", "/api/v1/fieldwork/tasks"),
    "/api/v1/fieldwork/checklists": ("fieldwork.use", "/api/v1/fieldwork/checklists"),
    "/api/v1/cameras": ("map.view", "/api/v1/cameras"),
}


def samples(seats) -> dict:
    return {"report_id": "1", "place_id": "1", "photo_id": "1"}
