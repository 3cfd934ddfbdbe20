"""Emergency's rows of the permission matrix (tests/test_permission_matrix.py)."""

API_READS = {
    "/api/v1/incidents": ("incident.view", "/api/v1/incidents"),
    "/api/v1/incidents/{incident_id}": ("incident.view", "/api/v1/incidents/1"),
    "/api/v1/incidents/{incident_id}/documents": ("incident.view", "/api/v1/incidents/1/documents"),
    "/api/v1/incidents/{incident_id}/documents/after_action": (
        "incident.view",
        "/api/v1/incidents/1/documents/after_action",
    ),
    "/api/v1/lost-items/{item_id}/matches": ("lostfound.view", "/api/v1/lost-items/1/matches"),
    "/api/v1/resources": ("incident.view", "/api/v1/resources"),
    "/api/v1/duty-roster": ("incident.view", "/api/v1/duty-roster"),
    "/api/v1/station/call-list": ("lostfound.view", "/api/v1/station/call-list"),
    "/api/v1/lost-items/due": ("lostfound.view", "/api/v1/lost-items/due"),
    "/api/v1/station/day": ("lostfound.view", "/api/v1/station/day?date=2026-12-01"),
}


def samples(seats) -> dict:
    """Records that may not exist: 404 is an allowed answer for the roles that may open the page."""
    return {"incident_id": "1", "task_id": "1", "item_id": "1", "missing_id": "1", "resource_id": "1", "entry_id": "1"}
