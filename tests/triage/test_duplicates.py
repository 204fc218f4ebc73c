from datetime import datetime, timedelta

from triage.duplicates import Sighting, likely_duplicate

NOON = datetime(2026, 5, 4, 12, 0)


def sighting(text, minutes_later=0, category="violence_abuse", ward="Pumwani"):
    return Sighting(text, category, ward, NOON + timedelta(minutes=minutes_later))


def test_two_people_reporting_one_beating_are_linked():
    first = sighting("police are beating a young man at Gikomba market now")
    second = sighting("cops beating a young man at gikomba now!!", minutes_later=20)
    assert likely_duplicate(first, second)


def test_the_same_words_days_apart_are_not_linked():
    first = sighting("police are beating a young man at Gikomba market now")
    text = "police are beating a young man at Gikomba market now"
    second = sighting(text, minutes_later=3 * 1440)
    assert not likely_duplicate(first, second)


def test_reports_from_different_wards_are_not_linked():
    first = sighting("police are beating a young man now", ward="Pumwani")
    second = sighting("police are beating a young man now", ward="Airbase")
    assert not likely_duplicate(first, second)


def test_unrelated_texts_in_one_ward_are_not_linked():
    first = sighting("police are beating a young man at Gikomba market now")
    second = sighting("askari wanaitisha hongo kwa wachuuzi kila asubuhi", minutes_later=30)
    assert not likely_duplicate(first, second)
