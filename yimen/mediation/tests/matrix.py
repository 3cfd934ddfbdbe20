"""Mediation's rows of the permission matrix (tests/test_permission_matrix.py)."""

API_READS = {
    "/api/v1/mediators": ("mediation.view", "/api/v1/mediators?region=450324106"),
    "/api/v1/cases/{code}/mediation": ("mediation.view", "/api/v1/cases/{case}/mediation"),
}


def samples(seats) -> dict:
    """Values for the URL parameters of mediation's pages: a mediator that may not exist (404
    is an allowed answer) and the session step of the sample case."""
    return {"mediator_id": "1", "step": "session"}
