import pytest

from contracts.area_codes import AREA_CODE_STATES, area_state
from contracts.timezones import STATE_TIMEZONES


@pytest.mark.parametrize(
    ("phone", "state"),
    [
        ("+12065550231", "WA"),  # Seattle
        ("+15645550100", "WA"),  # western Washington overlay
        ("+19715550100", "OR"),  # Portland overlay
        ("+19865550100", "ID"),  # Idaho overlay
        ("+16025550100", "AZ"),  # Phoenix
        ("+12135550100", "CA"),  # Los Angeles
        ("+14155550100", "CA"),  # San Francisco
        ("+13575550100", "CA"),  # Fresno overlay (2025)
        ("+17135550100", "TX"),  # Houston
        ("+16215550100", "TX"),  # Houston overlay
        ("+12125550100", "NY"),  # Manhattan
        ("+17185550100", "NY"),  # Brooklyn, Queens
        ("+13055550100", "FL"),  # Miami
        ("+14075550100", "FL"),  # Orlando
        ("+13125550100", "IL"),  # Chicago
        ("+14045550100", "GA"),  # Atlanta
        ("+16175550100", "MA"),  # Boston
        ("+12155550100", "PA"),  # Philadelphia
        ("+13135550100", "MI"),  # Detroit
        ("+16795550100", "MI"),  # Detroit overlay
        ("+13035550100", "CO"),  # Denver
        ("+17025550100", "NV"),  # Las Vegas
        ("+12025550100", "DC"),
        ("+17715550100", "DC"),
        ("+19075550100", "AK"),
        ("+18085550100", "HI"),
        ("+14355550100", "UT"),
        ("+14835550100", "AL"),  # Montgomery overlay (2026)
        ("+14715550100", "MS"),  # northern Mississippi overlay (2026)
        ("+17295550100", "TN"),  # Chattanooga overlay
        ("+17875550100", "PR"),
        ("+19395550100", "PR"),
        ("+13405550100", "VI"),
        ("+16715550100", "GU"),
        ("+16845550100", "AS"),
        ("+16705550100", "MP"),
    ],
)
def test_area_code_gives_its_state(phone: str, state: str) -> None:
    assert area_state(phone) == state


def test_a_number_in_any_common_format_is_read_as_to_e164_reads_it() -> None:
    assert area_state("(503) 555-0100") == "OR"
    assert area_state("1 480 555 0100") == "AZ"


def test_states_named_in_full() -> None:
    def codes(state: str) -> set[str]:
        return {code for code, s in AREA_CODE_STATES.items() if s == state}

    assert codes("WA") == {"206", "253", "360", "425", "509", "564"}
    assert codes("OR") == {"458", "503", "541", "971"}
    assert codes("ID") == {"208", "986"}
    assert codes("AZ") == {"480", "520", "602", "623", "928"}
    assert len(codes("TX")) >= 28
    assert len(codes("CA")) >= 38
    assert len(codes("NY")) >= 20
    assert len(codes("FL")) >= 22


def test_every_state_is_a_timezone_key_and_every_timezone_key_has_a_code() -> None:
    assert set(AREA_CODE_STATES.values()) <= set(STATE_TIMEZONES)
    assert set(STATE_TIMEZONES) <= set(AREA_CODE_STATES.values())


def test_table_is_complete_well_formed_and_read_only() -> None:
    assert len(AREA_CODE_STATES) >= 330
    for code in AREA_CODE_STATES:
        assert len(code) == 3 and code.isdigit() and code[0] in "23456789"
    with pytest.raises(TypeError):
        AREA_CODE_STATES["999"] = "XX"  # type: ignore[index]


NON_GEOGRAPHIC = [
    "800", "833", "844", "855", "866", "877", "888",  # toll-free
    "900",  # premium
    "500", "521", "522", "523", "524", "525", "526", "527", "528", "529", "532", "533",
    "544", "566", "577", "588",  # personal communications, machine-to-machine
    "600", "700", "710",
    "211", "311", "411", "511", "611", "711", "811", "911",  # N11 service codes
]  # fmt: skip


@pytest.mark.parametrize("code", NON_GEOGRAPHIC)
def test_non_geographic_code_maps_to_nothing(code: str) -> None:
    assert code not in AREA_CODE_STATES
    assert area_state(f"+1{code}5550100") is None


def test_530_and_531_are_geographic_inside_the_non_geographic_5xx_run() -> None:
    assert area_state("+15305550100") == "CA"  # Sacramento valley, Chico, Tahoe
    assert area_state("+15315550100") == "NE"  # Omaha, Lincoln overlay


@pytest.mark.parametrize(
    "code",
    ["416", "604", "514", "905", "403", "902", "867",  # Canada
     "809", "829", "849", "876", "658", "242", "441", "868", "721", "284", "264"],  # Caribbean
)  # fmt: skip
def test_canadian_and_caribbean_codes_map_to_nothing(code: str) -> None:
    assert area_state(f"+1{code}5550100") is None


@pytest.mark.parametrize(
    "phone",
    ["+442079460958", "+5215512345678", "+61291234567", "+33142685300", "0044 20 7946 0958"],
)
def test_number_outside_plus_one_maps_to_nothing(phone: str) -> None:
    assert area_state(phone) is None


@pytest.mark.parametrize(
    "phone",
    [None, "", "   ", "hello", "anonymous", "+1", "+1206", "+1206555023", "+120655502311",
     "+1 106 555 0231", "+10065550231", "555-0231", "123456789012345678"],
)  # fmt: skip
def test_missing_or_malformed_number_maps_to_nothing(phone: str | None) -> None:
    assert area_state(phone) is None
