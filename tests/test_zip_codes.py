import pytest

from contracts.timezones import STATE_TIMEZONES
from contracts.zip_codes import ZIP3_STATES, zip_state


@pytest.mark.parametrize(
    ("zip_code", "state"),
    [
        ("98103", "WA"),  # Seattle
        ("99203", "WA"),  # Spokane
        ("98402", "WA"),  # Tacoma
        ("97701", "OR"),  # Bend
        ("97205", "OR"),  # Portland
        ("83702", "ID"),  # Boise
        ("83814", "ID"),  # Coeur d'Alene
        ("85004", "AZ"),  # Phoenix
        ("85701", "AZ"),  # Tucson
        ("86001", "AZ"),  # Flagstaff
        ("86403", "AZ"),  # Lake Havasu City
        ("89101", "NV"),  # Las Vegas
        ("89501", "NV"),  # Reno
        ("84101", "UT"),  # Salt Lake City
        ("80202", "CO"),  # Denver
        ("82001", "WY"),  # Cheyenne
        ("59601", "MT"),  # Helena
        ("87102", "NM"),  # Albuquerque
        ("88001", "NM"),  # Las Cruces
        ("79901", "TX"),  # El Paso (799)
        ("88510", "TX"),  # El Paso (885)
        ("73301", "TX"),  # Austin (733)
        ("75080", "TX"),  # Richardson
        ("77002", "TX"),  # Houston
        ("73102", "OK"),  # Oklahoma City
        ("73942", "OK"),  # Guymon (739)
        ("74103", "OK"),  # Tulsa
        ("67203", "KS"),  # Wichita
        ("68102", "NE"),  # Omaha
        ("57104", "SD"),  # Sioux Falls
        ("58102", "ND"),  # Fargo
        ("55401", "MN"),  # Minneapolis
        ("50309", "IA"),  # Des Moines
        ("53202", "WI"),  # Milwaukee
        ("60614", "IL"),  # Chicago
        ("63101", "MO"),  # St. Louis
        ("72201", "AR"),  # Little Rock
        ("70112", "LA"),  # New Orleans
        ("39201", "MS"),  # Jackson
        ("35203", "AL"),  # Birmingham
        ("37203", "TN"),  # Nashville
        ("40202", "KY"),  # Louisville
        ("46204", "IN"),  # Indianapolis
        ("48226", "MI"),  # Detroit
        ("43215", "OH"),  # Columbus
        ("30303", "GA"),  # Atlanta
        ("39901", "GA"),  # Atlanta (399)
        ("33155", "FL"),  # Miami
        ("32801", "FL"),  # Orlando
        ("34102", "FL"),  # Naples
        ("29201", "SC"),  # Columbia
        ("27601", "NC"),  # Raleigh
        ("23219", "VA"),  # Richmond
        ("20166", "VA"),  # Dulles (201)
        ("25301", "WV"),  # Charleston
        ("20001", "DC"),
        ("20500", "DC"),  # the White House
        ("56901", "DC"),  # 569
        ("20850", "MD"),  # Rockville
        ("21201", "MD"),  # Baltimore
        ("19901", "DE"),  # Dover
        ("19103", "PA"),  # Philadelphia
        ("15222", "PA"),  # Pittsburgh
        ("07102", "NJ"),  # Newark
        ("08608", "NJ"),  # Trenton
        ("10001", "NY"),  # Manhattan
        ("12203", "NY"),  # Albany
        ("14202", "NY"),  # Buffalo
        ("00501", "NY"),  # Holtsville (005)
        ("06103", "CT"),  # Hartford
        ("06320", "CT"),  # New London (063)
        ("06510", "CT"),  # New Haven (064/065)
        ("02903", "RI"),  # Providence
        ("02130", "MA"),  # Boston
        ("01103", "MA"),  # Springfield
        ("05501", "MA"),  # Andover (055)
        ("05401", "VT"),  # Burlington
        ("03301", "NH"),  # Concord
        ("04101", "ME"),  # Portland
        ("03901", "ME"),  # Berwick (039)
        ("90012", "CA"),  # Los Angeles
        ("94103", "CA"),  # San Francisco
        ("96001", "CA"),  # Redding
        ("96813", "HI"),  # Honolulu
        ("96720", "HI"),  # Hilo
        ("99501", "AK"),  # Anchorage
        ("99701", "AK"),  # Fairbanks
        ("99801", "AK"),  # Juneau
        ("00901", "PR"),  # San Juan
        ("00603", "PR"),  # Aguadilla
        ("00802", "VI"),  # St. Thomas
        ("96910", "GU"),  # Hagåtña
        ("96950", "MP"),  # Saipan
        ("96799", "AS"),  # Pago Pago
    ],
)
def test_zip_state(zip_code: str, state: str) -> None:
    assert zip_state(zip_code) == state


@pytest.mark.parametrize(
    ("zip_code", "state"),
    [("98103-1234", "WA"), ("981031234", "WA"), (" 85004 ", "AZ"), ("00901-0001", "PR")],
)
def test_zip_plus_four_and_whitespace(zip_code: str, state: str) -> None:
    assert zip_state(zip_code) == state


@pytest.mark.parametrize(
    "zip_code",
    [
        None,
        "",
        "   ",
        "9810",
        "981034",
        "98103-12",
        "98103-12345",
        "98103 1234",
        "98l03",
        "WA",
        "-98103",
        "９８１０３",  # full-width digits
        "+12065550231",
    ],
)
def test_malformed_is_none(zip_code: str | None) -> None:
    assert zip_state(zip_code) is None


@pytest.mark.parametrize(
    "zip_code",
    [
        "09001",  # APO AE
        "09901",  # AE
        "34001",  # APO AA
        "96201",  # APO AP
        "96601",  # FPO AP
        "00100",  # unassigned 001
        "21301",  # unassigned 213
        "71501",  # unassigned 715
        "88601",  # unassigned 886
        "98701",  # unassigned 987
        "96939",  # Palau
        "96941",  # Micronesia
        "96960",  # Marshall Islands
    ],
)
def test_military_unassigned_and_uncoded_are_none(zip_code: str) -> None:
    assert zip_state(zip_code) is None


def test_every_value_has_a_timezone() -> None:
    assert set(ZIP3_STATES.values()) <= set(STATE_TIMEZONES)
    assert zip_state("96799") in STATE_TIMEZONES and zip_state("96950") in STATE_TIMEZONES


def test_every_state_and_territory_has_a_prefix() -> None:
    assert set(ZIP3_STATES.values()) == set(STATE_TIMEZONES) - {"AS", "MP"}


def test_keys_are_three_digits_and_military_prefixes_are_out() -> None:
    assert all(len(k) == 3 and k.isdigit() for k in ZIP3_STATES)
    military = {f"{n:03d}" for n in [*range(90, 100), 340, *range(962, 967)]}
    assert not military & set(ZIP3_STATES)
    assert len(ZIP3_STATES) == 916


@pytest.mark.parametrize(
    ("prefix", "state"),
    [
        ("199", "DE"),
        ("200", "DC"),
        ("201", "VA"),
        ("205", "DC"),
        ("206", "MD"),
        ("219", "MD"),
        ("220", "VA"),
        ("246", "VA"),
        ("247", "WV"),
        ("268", "WV"),
        ("729", "AR"),
        ("730", "OK"),
        ("749", "OK"),
        ("750", "TX"),
        ("799", "TX"),
        ("800", "CO"),
        ("816", "CO"),
        ("820", "WY"),
        ("831", "WY"),
        ("832", "ID"),
        ("838", "ID"),
        ("840", "UT"),
        ("847", "UT"),
        ("850", "AZ"),
        ("865", "AZ"),
        ("870", "NM"),
        ("884", "NM"),
        ("889", "NV"),
        ("898", "NV"),
        ("900", "CA"),
        ("961", "CA"),
        ("967", "HI"),
        ("968", "HI"),
        ("970", "OR"),
        ("979", "OR"),
        ("980", "WA"),
        ("994", "WA"),
        ("995", "AK"),
        ("999", "AK"),
    ],
)
def test_boundaries(prefix: str, state: str) -> None:
    assert ZIP3_STATES[prefix] == state


def test_read_only() -> None:
    with pytest.raises(TypeError):
        ZIP3_STATES["000"] = "NY"  # type: ignore[index]
