"""Synthetic values for tests: ID numbers with a correct GB 11643 check digit, phone photos."""

from datetime import date
from io import BytesIO

from PIL import Image

from yimen.core.identity import id_check_digit


def make_id_number(birth: date = date(1980, 1, 1), seq: int = 123, *, male: bool = True, region: str = "450324") -> str:
    """A synthetic resident ID number with a correct GB 11643 check digit."""
    serial = seq % 500 * 2 + (1 if male else 0)  # the 17th digit: odd for men, even for women
    first17 = f"{region}{birth:%Y%m%d}{serial:03d}"
    return first17 + id_check_digit(first17)


def jpeg(size: tuple[int, int] = (40, 30)) -> bytes:
    """A real JPEG of the given size, as a phone would send."""
    buffer = BytesIO()
    Image.new("RGB", size, "red").save(buffer, "JPEG", quality=70)
    return buffer.getvalue()
