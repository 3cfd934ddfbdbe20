"""Rates are rounded once, when shown."""

from yimen.core.figures import percent, rate


def test_a_rate_is_rounded_once_half_up():
    assert percent(rate(35, 1490)) == "2.3%"  # 2.349 %: never 2.4 % through 0.0235
    assert percent(rate(7, 200)) == "3.5%" and percent(rate(1, 8)) == "12.5%"
    assert percent(rate(3, 3)) == "100.0%" and percent(rate(0, 5)) == "0.0%"
    assert rate(1, 0) is None and percent(None) == "—"
