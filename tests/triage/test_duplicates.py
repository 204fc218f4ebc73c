from datetime import datetime, timedelta

import pytest

from triage.duplicates import Sighting, incident_details, likely_duplicate

NOON = datetime(2026, 5, 4, 12, 0)


def sighting(text, minutes_later=0, category="violence_abuse", ward="Pumwani"):
    return Sighting(text, category, ward, NOON + timedelta(minutes=minutes_later))


def test_two_people_reporting_one_beating_are_linked():
    first = sighting("police are beating a young man at Gikomba market now")
    second = sighting("cops beating a young man at gikomba now!!", minutes_later=20)
    assert likely_duplicate(first, second)


def test_one_beating_told_with_the_same_details_in_other_words_is_linked():
    first = sighting("police are beating a hawker at Gikomba market this morning")
    second = sighting("cops beating hawker at gikomba market this morning!!", minutes_later=45)
    assert likely_duplicate(first, second)


def test_the_same_words_days_apart_are_not_linked():
    text = "police are beating a young man at Gikomba market now"
    assert not likely_duplicate(sighting(text), sighting(text, minutes_later=3 * 1440))


def test_reports_from_different_wards_are_not_linked():
    first = sighting("police are beating a young man now", ward="Pumwani")
    second = sighting("police are beating a young man now", ward="Airbase")
    assert not likely_duplicate(first, second)


def test_unrelated_texts_in_one_ward_are_not_linked():
    first = sighting("police are beating a young man at Gikomba market now")
    second = sighting("askari wanaitisha hongo kwa wachuuzi kila asubuhi", minutes_later=30)
    assert not likely_duplicate(first, second)


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # a different victim
        ("police are beating a hawker at Gikomba market", "police are beating a student at Gikomba market"),
        ("askari wanampiga mzee mmoja sokoni Gikomba", "askari wanampiga msichana sokoni Gikomba"),
        # a different street or place of the same ward
        ("police are beating a young man at Gikomba now", "police are beating a young man at Majengo now"),
        ("cops beating a boy on 9th street now", "cops beating a boy on 4th street now"),
        # a different time of day
        ("police beat a hawker at Gikomba this morning", "police beat a hawker at Gikomba this evening"),
        ("karao walichapa mchuuzi Gikomba asubuhi", "karao walichapa mchuuzi Gikomba usiku"),
    ],
)
def test_reports_that_disagree_on_victim_place_or_time_of_day_are_not_linked(first, second):
    assert not likely_duplicate(sighting(first), sighting(second, minutes_later=60))


def test_relatives_named_from_each_reporters_side_do_not_disagree():
    mother = incident_details("police have taken my son from the mosque")
    sister = incident_details("police have taken my brother from the mosque")
    assert not mother.disagree_with(sister)


def test_a_reference_code_does_not_make_two_reports_alike():
    first = sighting("K7F-3QX police are beating a young man at Gikomba now")
    second = sighting("K7F-3QX askari wanaitisha hongo kwa wachuuzi kila asubuhi", minutes_later=10)
    assert not likely_duplicate(first, second)
