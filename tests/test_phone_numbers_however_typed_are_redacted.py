"""The resident's own number never reaches a panel, however it was typed: with its area code in
brackets, or in digits of another script a keyboard gives (full-width, Arabic-Indic). Amounts,
years and references are left as they are."""

from __future__ import annotations

import pytest

REPORT = "Askari wanaitisha hongo kila siku Gikomba, {number}"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize(
    "number",
    [
        "call (0711) 000041",
        "nipigie (0711)000041",
        "call (+254) (711) 000 041",
        "nipigie 0\uff1711000041",
        "nipigie \uff10\uff17\uff11\uff11\uff10\uff10\uff10\uff10\uff14\uff11",
        "nipigie \u0660\u0667\u0661\u0661\u0660\u0660\u0660\u0660\u0664\u0661",
        "nipigie \uff08\uff10\uff17\uff11\uff11\uff09 000041",
    ],
)
def test_a_number_in_brackets_or_other_digits_reaches_the_panel_redacted(
    reported_case, make_user, api_token, client, number
):
    ref = reported_case(REPORT.format(number=number))

    case = client.get(f"/api/v1/cases/{ref}", headers=bearer(api_token(make_user()))).json

    assert case["text"].endswith("[phone]")
    assert "hongo" in case["text"]


def test_amounts_and_years_beside_a_number_are_left_as_written(reported_case, make_user, api_token, client):
    ref = reported_case(
        "Askari walichukua 5k na 15,000 mwaka 2026 Gikomba, (0711) 000041, \uff15\uff10\uff10\uff10 bob"
    )

    case = client.get(f"/api/v1/cases/{ref}", headers=bearer(api_token(make_user()))).json

    assert "5k na 15,000 mwaka 2026 Gikomba, [phone], \uff15\uff10\uff10\uff10 bob" in case["text"]
