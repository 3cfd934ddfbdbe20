"""Permission-matrix rows of the petitions app (tests/test_permission_matrix.py): every GET in
its API with the permission it needs, and sample values for its page routes (only `code`,
which the matrix already knows)."""

API_READS = {
    "/api/v1/cases/{code}/petition": ("case.view", "/api/v1/cases/{case}/petition"),
    "/api/v1/petitions": ("petition.view", "/api/v1/petitions"),
}


def samples(seats) -> dict:
    return {}
