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


def test_message_naming_no_place_has_no_ward():
    assert extract_ward("police beat my brother yesterday") is None


def test_a_short_word_is_not_fuzzily_taken_for_a_place():
    assert extract_ward("they came with a panga") is None


def test_another_sub_county_is_a_new_data_file(tmp_path):
    (tmp_path / "starehe.yaml").write_text(
        "sub_county: Starehe\nwards:\n  Ngara:\n    - ngara market\n", encoding="utf-8"
    )
    assert extract_ward("arrests at Ngara market", load_gazetteer(tmp_path)) == "Ngara"
