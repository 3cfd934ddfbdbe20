"""The registry's later rows of the permission matrix (tests/test_permission_matrix.py)."""

API_READS = {
    "/api/v1/persons/{person_id}/contacts": ("person.view", "/api/v1/persons/1/contacts"),
    "/api/v1/police-contact/coverage": ("person.view", "/api/v1/police-contact/coverage"),
    "/api/v1/police-contact/worklist": ("police.contact", "/api/v1/police-contact/worklist"),
    "/api/v1/fraud-alerts/{alert_id}": ("fraud.alert", "/api/v1/fraud-alerts/1"),
    "/api/v1/joint-defence-groups": ("person.view", "/api/v1/joint-defence-groups"),
    "/api/v1/joint-defence-groups/{group_id}": ("person.view", "/api/v1/joint-defence-groups/1"),
}


def samples(seats) -> dict:
    """Records that may not exist: 404 is an allowed answer for the roles that may open the page."""
    return {"alert_id": "1", "delivery_id": "1"}
