"""One way to state a rate (issue 21 item 9): the same counts give the same figure on every page.
A rate is carried exact; it is rounded once, when shown, to one decimal, half up — rounding it to
four decimals first and again for the page turned 2.349 % into 2.4 % on one page and 2.3 % on
another."""

from decimal import ROUND_HALF_UP, Decimal


def rate(numerator: int, denominator: int) -> float | None:
    """numerator ÷ denominator; None when there is nothing to divide by (shown as "—")."""
    return numerator / denominator if denominator else None


def percent(value: float | None) -> str:
    """A rate as a page shows it: "2.3%", or "—" for none."""
    if value is None:
        return "—"
    shown = (Decimal(repr(value)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{shown}%"
