"""Citizens' rows of the permission matrix (tests/test_permission_matrix.py): every door is
public (the demo outbox answers 404 outside the demo, to any signed-in account); the Open311
keys page needs open311.keys (dispatcher, leader)."""

API_READS = {
    "/api/v1/public/cases": ("public", "/api/v1/public/cases?code={case}&phone_last4=0001"),
    "/api/v1/public/reports/{public_token}": ("public", "/api/v1/public/reports/{token}"),
    "/api/v1/demo/outbox": ("public", "/api/v1/demo/outbox?to=13807735678"),
    "/api/v1/dictionary": ("public", "/api/v1/dictionary"),
    "/api/v1/open311/v2/services.json": ("public", "/api/v1/open311/v2/services.json"),
    "/api/v1/open311/v2/requests.json": ("public", "/api/v1/open311/v2/requests.json"),
    "/api/v1/open311/v2/requests/{request_id}.json": ("public", "/api/v1/open311/v2/requests/1.json"),
}


def samples(seats) -> dict:
    return {"key_id": "1"}
