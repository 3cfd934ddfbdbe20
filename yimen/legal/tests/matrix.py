"""The legal app's rows of the permission matrix (tests/test_permission_matrix.py)."""

API_READS = {
    "/api/v1/cases/{code}/legal-aid": ("case.view", "/api/v1/cases/{case}/legal-aid"),
    "/api/v1/legal/advisers": ("unit.view", "/api/v1/legal/advisers?region=450324106"),
    "/api/v1/legal/advisers/{adviser_id}/log": ("unit.view", "/api/v1/legal/advisers/1/log?month=2026-01"),
    "/api/v1/outreach/menu": ("unit.view", "/api/v1/outreach/menu"),
    "/api/v1/outreach/orders": ("outreach.view", "/api/v1/outreach/orders"),
    "/api/v1/legal/training": ("outreach.view", "/api/v1/legal/training"),
    "/api/v1/legal/training/{session_id}": ("outreach.view", "/api/v1/legal/training/1"),
    "/api/v1/outreach/report": ("outreach.view", "/api/v1/outreach/report?month=2026-01"),
}


def samples(seats) -> dict:
    """An adviser that may not exist (404 is an allowed answer); the step comes from mediation's."""
    return {"adviser_id": "1", "session_id": "1"}
