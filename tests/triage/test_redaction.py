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
        (
            "I am Peter Kamau, police beat me at Majengo yesterday",
            "I am [name], police beat me at Majengo yesterday",
        ),
        ("I'm Peter Kamau, police beat me", "I'm [name], police beat me"),
        ("I’m Peter Kamau, police beat me", "I’m [name], police beat me"),
        ("Im Peter Kamau police beat me", "Im [name] police beat me"),
        ("This is Peter Kamau from Majengo", "This is [name] from Majengo"),
        ("it's Peter here, police beat me", "it's [name] here, police beat me"),
        ("my name's Peter Kamau and police beat me", "my name's [name] and police beat me"),
        ("My names are Peter Kamau, police beat me", "My names are [name], police beat me"),
        ("call me Peter, police beat me", "call me [name], police beat me"),
        ("I am called Peter Kamau", "I am called [name]"),
        ("I am Mama Wanjiku, askari took my son", "I am Mama [name], askari took my son"),
        ("this is urgent my name is juma", "this is urgent my name is [name]"),
        ("Ni mimi Juma, polisi walinipiga jana", "Ni mimi [name], polisi walinipiga jana"),
        ("jina yangu ni juma, polisi walinipiga", "jina yangu ni [name], polisi walinipiga"),
        ("Jina langu Juma Otieno, polisi walinipiga", "Jina langu [name], polisi walinipiga"),
        ("Ninaitwa Halima Abdi, nataka kuripoti", "Ninaitwa [name], nataka kuripoti"),
        ("mi ni Juma, karao walinipiga jana", "mi ni [name], karao walinipiga jana"),
        ("naitwa Juma, makarao wamenishika", "naitwa [name], makarao wamenishika"),
        (
            "majina yangu ni Juma Otieno, karao walinichapa",
            "majina yangu ni [name], karao walinichapa",
        ),
    ],
)
def test_a_name_given_in_any_introduction_is_redacted(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("naitwa juma polisi walinipiga jana", "naitwa [name] polisi walinipiga jana"),
        ("my name is juma police beat me", "my name is [name] police beat me"),
        ("my name is juma kamau officers took my son", "my name is [name] officers took my son"),
        ("jina langu ni juma walinipiga jana", "jina langu ni [name] walinipiga jana"),
        (
            "majina yangu ni juma kamau askari walinipiga",
            "majina yangu ni [name] askari walinipiga",
        ),
        ("naitwa juma na karao wamenishika", "naitwa [name] na karao wamenishika"),
        (
            "my name is amina hassan wanted to report police",
            "my name is [name] wanted to report police",
        ),
        ("I am Peter Kamau police beat me", "I am [name] police beat me"),
        ("My name is Juma Kamau Police Took My Son", "My name is [name] Police Took My Son"),
        ("Mimi ni Juma Otieno Polisi walinipiga", "Mimi ni [name] Polisi walinipiga"),
        ("MY NAME IS JUMA KAMAU POLICE BEAT ME", "MY NAME IS [name] POLICE BEAT ME"),
    ],
)
def test_the_report_after_the_name_is_kept_word_for_word(text, expected):
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I am afraid",
        "I am in Majengo",
        "I am a boda rider",
        "I am Kenyan and police beat me",
        "I'm scared they will come back",
        "I am Eastleigh resident",
        "this is urgent",
        "this is the third time",
        "This is the third time police beat me",
        "This is Majengo, police are beating people",
        "it's Friday again and askari are here",
        "call me back please",
        "mimi ni mkazi wa eastleigh",
        "mi ni mama wa watoto watatu",
        "Ni mimi niliyepigwa jana",
        "nimechoka na hawa karao",
        "I AM HIDING IN A TOILET AT MADINA MALL",
        "my name is still in police records",
        "ningependa kujua kama jina langu litawekwa siri",
    ],
)
def test_a_state_or_description_is_not_taken_for_a_name(text):
    assert redact(text) == text


def test_amounts_times_and_places_are_kept():
    text = "police took 5000 bob from 3 boys at 1st avenue at 10pm"
    assert redact(text) == text
