"""Smart intake's rows of the permission matrix (tests/test_permission_matrix.py)."""

API_READS = {
    "/api/v1/warnings": ("warning.view", "/api/v1/warnings"),
}


def samples(seats) -> dict:
    """Records that may not exist: 404 is an allowed answer for the roles that may open the page."""
    return {"warning_id": "1"}
