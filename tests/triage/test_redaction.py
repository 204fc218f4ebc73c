import pytest

from triage import redact


@pytest.mark.parametrize(
    "number",
    [
        "0712345678",
        "0712 345 678",
        "0712-345-678",
        "07 12 34 56 78",
        "+254712345678",
        "+254 712 345 678",
        "+254-712-345-678",
        "254712345678",
        "00254712345678",
        "(+254) 712 345 678",
        "+254 (0) 712 345 678",
        "0110123456",
        "0110 123 456",
        "+254 110 123 456",
        "712345678",
    ],
)
def test_every_kenyan_phone_form_is_redacted(number):
    redacted = redact(f"call me on {number} please")
    assert redacted == "call me on [phone] please"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("my ID is 12345678", "my ID is [id]"),
        ("kitambulisho namba 2345678", "kitambulisho namba [id]"),
        ("ID no. 23 456 789", "ID no. [id]"),
        ("passport AK0123456", "passport [id]"),
        ("pasipoti yangu ni A1234567", "pasipoti yangu ni [id]"),
        ("refugee card 123-4567890", "refugee card [id]"),
    ],
)
def test_id_and_passport_numbers_are_redacted(text, expected):
    assert redact(text) == expected


def test_email_is_redacted():
    assert redact("write to juma.ali+sauti@gmail.com") == "write to [email]"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "My name is Ahmed Hassan and I live in Eastleigh",
            "My name is [name] and I live in Eastleigh",
        ),
        ("jina langu ni fatuma abdi kutoka majengo", "jina langu ni [name] kutoka majengo"),
        ("Naitwa Otieno.", "Naitwa [name]."),
        ("Mimi ni Halima, nataka kuripoti", "Mimi ni [name], nataka kuripoti"),
    ],
)
def test_self_identification_is_redacted(text, expected):
    assert redact(text) == expected


def test_a_self_description_is_not_taken_for_a_name():
    text = "mimi ni mkazi wa eastleigh"
    assert redact(text) == text


def test_amounts_times_and_places_are_kept():
    text = "police took 5000 bob from 3 boys at 1st avenue at 10pm"
    assert redact(text) == text
