"""Senders' numbers in the one form their pseudonym is made from, however a gateway writes them."""

from __future__ import annotations

import random

import pytest

from storage.intake.identity import InvalidNumberError, normalise_number, parsed_number


@pytest.mark.parametrize(
    "written", ["+254712345678", "254712345678", "0712345678", "whatsapp:+254712345678", " +254712345678 "]
)
def test_every_way_a_gateway_writes_a_kenyan_number_gives_the_same_number(written):
    assert normalise_number(written) == "+254712345678"


def test_a_kenyan_mobile_number_in_e164_is_written_as_phonenumbers_writes_it():
    drawn = random.Random(254)
    numbers = [f"+254{prefix}{drawn.randrange(10**8):08d}" for prefix in "17" for _ in range(2000)]
    numbers += ["+254700000000", "+254799999999", "+254100000000", "+254199999999"]

    for number in numbers:
        assert normalise_number(number) == parsed_number(number)


@pytest.mark.parametrize(
    "written", ["+2540712345678", "+255712345678", "+44 7911 123456", "+254 712 345 678"]
)
def test_a_number_in_any_other_form_goes_by_phonenumbers_rules(written):
    assert normalise_number(written) == parsed_number(written.strip())


@pytest.mark.parametrize("written", ["", "not a number", "+2547", "07"])
def test_what_is_not_a_phone_number_is_refused(written):
    with pytest.raises(InvalidNumberError):
        normalise_number(written)
