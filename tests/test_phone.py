import pytest

from contracts.phone import to_e164


@pytest.mark.parametrize(
    "raw",
    ["(206) 555-0231", "206-555-0231", "206.555.0231", "+1 206 555 0231", "12065550231",
     "1-206-555-0231", "+12065550231", "  2065550231 "],
)  # fmt: skip
def test_us_formats_normalise_to_one_e164(raw: str) -> None:
    assert to_e164(raw) == "+12065550231"


def test_international_number_keeps_its_country_code() -> None:
    assert to_e164("+44 20 7946 0958") == "+442079460958"
    assert to_e164("0044 20 7946 0958") == "+442079460958"


@pytest.mark.parametrize("raw", ["", "hello", "555-0231", "+1 106 555 0231", "123456789012345678"])
def test_not_a_phone_number_is_refused(raw: str) -> None:
    with pytest.raises(ValueError):
        to_e164(raw)
