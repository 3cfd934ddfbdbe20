"""Rows of the permission matrix (tests/test_permission_matrix.py) for grid work."""

API_READS = {
    "/api/v1/fieldwork/reports": ("fieldwork.use", "/api/v1/fieldwork/reports"),
    "/api/v1/fieldwork/reports/{report_id}": ("fieldwork.use", "/api/v1/fieldwork/reports/1"),
    "/api/v1/fieldwork/households": ("fieldwork.use", "/api/v1/fieldwork/households"),
    "/api/v1/fieldwork/tasks": ("fieldwork.use", "/api/v1/fieldwork/tasks"),
    "/api/v1/fieldwork/checklists": ("fieldwork.use", "/api/v1/fieldwork/checklists"),
    "/api/v1/cameras": ("map.view", "/api/v1/cameras"),
    "/api/v1/cameras/{camera_id}": ("map.view", "/api/v1/cameras/1"),
    "/api/v1/cameras/{camera_id}/log": ("map.view", "/api/v1/cameras/1/log"),
    "/api/v1/cases/{code}/cameras": ("case.view", "/api/v1/cases/{case}/cameras"),
    "/api/v1/patrol-teams": ("fieldwork.manage", "/api/v1/patrol-teams"),
    "/api/v1/patrol-teams/{team_id}": ("fieldwork.manage", "/api/v1/patrol-teams/1"),
    "/api/v1/patrol-teams/{team_id}/shifts": ("fieldwork.manage", "/api/v1/patrol-teams/1/shifts"),
}


def samples(seats) -> dict:
    return {"report_id": "1", "place_id": "1", "photo_id": "1", "camera_id": "1", "team_id": "1"}
