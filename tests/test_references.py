"""Report references: short, read aloud and typed on keypads, and drawn from the whole alphabet."""

from __future__ import annotations

from storage.intake.identity import REF_ALPHABET, REF_LENGTH, canonical_reference, new_reference


def test_a_new_reference_is_in_its_own_canonical_form():
    for _ in range(500):
        ref = new_reference()

        assert canonical_reference(ref) == ref


def test_a_new_reference_always_mixes_letters_and_digits():
    for _ in range(500):
        code = new_reference().replace("-", "")

        assert not code.isalpha()
        assert not code.isdigit()


def test_every_character_of_the_alphabet_turns_up_in_every_position():
    drawn = [new_reference().replace("-", "") for _ in range(3000)]

    for position in range(REF_LENGTH):
        assert {code[position] for code in drawn} == set(REF_ALPHABET)


def test_a_reference_typed_loosely_is_read_as_the_stored_one():
    assert canonical_reference(" k7m 2pq ") == "K7M-2PQ"
    assert canonical_reference("k7m-2pq") == "K7M-2PQ"


def test_a_word_or_a_number_is_never_read_as_a_reference():
    assert canonical_reference("POLISI") is None
    assert canonical_reference("254712") is None
    assert canonical_reference("K0M-2PQ") is None
