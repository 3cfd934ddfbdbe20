"""Photos sent from phones (grid reports, 随手拍, 积分 evidence): one check of how many, what
kind and how big, so every door refuses the same things in the same words."""

MAX_PHOTOS = 3
# The phone compresses to ~1600 px JPEG at quality 0.7 (150–500 KB); the JSON body carries the
# photos base64-encoded and must stay under Django's 2.5 MB request limit.
MAX_PHOTO_BYTES = 600 * 1024
IMAGE_MAGIC = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG": "image/png"}


def checked_photos(photos: list[bytes], errors: dict, *, field: str = "photos") -> list[tuple[bytes, str]]:
    """The photos with their content type; what is refused goes into `errors[field]` in Chinese
    (the caller raises Invalid with all its field errors at once)."""
    if len(photos) > MAX_PHOTOS:
        errors[field] = [f"最多 {MAX_PHOTOS} 张照片。"]
        return []
    kept = []
    for i, data in enumerate(photos):
        kind = next((ct for magic, ct in IMAGE_MAGIC.items() if data.startswith(magic)), None)
        if kind is None:
            errors.setdefault(field, []).append(f"第 {i + 1} 张不是 JPEG 或 PNG 图片。")
        elif len(data) > MAX_PHOTO_BYTES:
            errors.setdefault(field, []).append(f"第 {i + 1} 张照片过大（压缩后须小于 600 KB）。")
        else:
            kept.append((data, kind))
    return kept
