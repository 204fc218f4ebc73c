import pytest

from triage import extract_ward
from triage.places import load_gazetteer


@pytest.mark.parametrize(
    ("text", "ward"),
    [
        ("police beating people at Gikomba market", "Pumwani"),
        ("they took him near Garissa Lodge", "Eastleigh North"),
        ("swoop in Kiambiu tonight", "Eastleigh South"),
        ("karao wako California estate", "California"),
        ("officers from Moi Air Base", "Airbase"),
        ("EASTLEIGH SOUTH POLICE ASKING FOR MONEY", "Eastleigh South"),
    ],
)
def test_places_resolve_to_their_ward(text, ward):
    assert extract_ward(text) == ward


@pytest.mark.parametrize(
    ("text", "ward"),
    [
        ("askari wamemkamata kijana Majengo", "Pumwani"),
        ("teargas at Shauri Moyo", "Pumwani"),
        ("wasee wa Bondeni wanapigana", "Pumwani"),
        ("kanjo wako Gikomba", "Pumwani"),
        ("mob at Biafra", "Eastleigh South"),
        ("cops at 12th street asking for ID", "Eastleigh North"),
        ("boda guys at california stage", "California"),
        ("held at Kamukunji police station", "Pumwani"),
    ],
)
def test_landmarks_map_to_the_ward_they_lie_in(text, ward):
    assert extract_ward(text) == ward


@pytest.mark.parametrize(
    "text",
    [
        "arrests at Kariokor market",  # Starehe
        "beaten near Ziwani",  # Starehe
        "they took him to Pangani",  # Starehe
        "police at juja road now",  # the border with Starehe and Mathare
        "roadblock on 1st avenue",  # runs through Eastleigh North and South
        "karao wa 2nd ave",
        "swoop in Eastleigh",  # the neighbourhood spans three wards
    ],
)
def test_a_place_on_a_border_or_outside_the_sub_county_gives_no_ward(text):
    assert extract_ward(text) is None


def test_a_police_station_gives_way_to_the_place_it_happened():
    assert extract_ward("picked from Biafra and taken to Kamukunji police station") == "Eastleigh South"


def test_the_place_it_happened_stands_though_he_was_taken_outside():
    assert extract_ward("arrested at Majengo and taken to Pangani police station") == "Pumwani"


def test_two_wards_named_give_no_ward():
    assert extract_ward("youths from Majengo fought youths from Kiambiu") is None


def test_a_specific_place_on_a_border_road_gives_its_ward():
    assert extract_ward("outside Garissa Lodge on 1st avenue") == "Eastleigh North"


@pytest.mark.parametrize(
    ("text", "ward"),
    [
        ("polisi wanapiga watu Gicomba", "Pumwani"),
        ("askari wa Majego", "Pumwani"),
        ("from Califonia estate", "California"),
        ("near Garisa lodge", "Eastleigh North"),
        ("wasee wa Kiambio", "Eastleigh South"),
        ("Eastleigh Nort section", "Eastleigh North"),
        ("pale Pumwan maternity", "Pumwani"),
    ],
)
def test_misspelled_places_still_resolve(text, ward):
    assert extract_ward(text) == ward


def test_a_misspelt_place_outside_is_not_taken_for_a_ward():
    assert extract_ward("they took him to Pangan") is None


def test_message_naming_no_place_has_no_ward():
    assert extract_ward("police beat my brother yesterday") is None


def test_a_short_word_is_not_fuzzily_taken_for_a_place():
    assert extract_ward("they came with a panga") is None


def test_another_sub_county_is_a_new_data_file(tmp_path):
    (tmp_path / "starehe.yaml").write_text(
        "sub_county: Starehe\nwards:\n  Ngara:\n    - ngara market\nno_ward:\n  borders: [juja road]\n",
        encoding="utf-8",
    )
    gazetteer = load_gazetteer(tmp_path)
    assert extract_ward("arrests at Ngara market", gazetteer) == "Ngara"
    assert extract_ward("arrests on juja road", gazetteer) is None
