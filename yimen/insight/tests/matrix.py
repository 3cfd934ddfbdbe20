"""The command centre's rows of the permission matrix (tests/test_permission_matrix.py)."""

API_READS = {
    "/api/v1/kpis": ("kpi.view", "/api/v1/kpis?region=450324106&since=2026-01-01&until=2026-01-31"),
    "/api/v1/public/rankings": ("public", "/api/v1/public/rankings?since=2026-01-01&until=2026-01-31"),
    "/api/v1/meetings": ("meeting.view", "/api/v1/meetings"),
    "/api/v1/meetings/{meeting_id}": ("meeting.view", "/api/v1/meetings/1"),
    "/api/v1/meetings/{meeting_id}/items": ("meeting.view", "/api/v1/meetings/1/items"),
    "/api/v1/meetings/{meeting_id}/agenda": ("meeting.view", "/api/v1/meetings/1/agenda"),
    "/api/v1/meetings/{meeting_id}/minutes": ("meeting.view", "/api/v1/meetings/1/minutes"),
    "/api/v1/topics": ("topic.view", "/api/v1/topics?month=2026-11&region=450324106"),
    "/api/v1/forms/{name}.xlsx": ("kpi.view", "/api/v1/forms/disputes.xlsx?period=2026-11&region=450324106"),
}


def samples(seats) -> dict:
    """URL parameters of the insight pages: a meeting, an action and a display token (absent: 404
    for the roles that may open the page, 403 for the others before any lookup)."""
    return {"meeting_id": "1", "action_id": "1", "token_id": "1", "topic_id": "1", "form": "disputes"}
