"""A person whose pages speak Kiswahili reads no English on them: not Werkzeug's descriptions
under the 404 and 403 headings, not Flask-WTF's CSRF refusals, not WTForms' refusal of an
unknown choice, not the English names of panels in the admin's invitation form."""

from __future__ import annotations

from html import unescape

from tests.fixtures.staff import AuthActions


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def test_a_page_not_found_says_why_in_kiswahili(lead_in_kiswahili, client):
    response = client.get("/panel/no-such-page")

    assert response.status_code == 404
    assert "Hakuna ukurasa kwenye anwani hii." in text_of(response)
    assert "The requested URL was not found" not in text_of(response)


def test_a_page_not_allowed_says_why_in_kiswahili(lead_in_kiswahili, client):
    response = client.get("/admin/users")

    assert response.status_code == 403
    assert "Akaunti yako hairuhusiwi kufungua ukurasa huu." in text_of(response)
    assert "You don't have the permission" not in text_of(response)


def test_a_form_without_its_csrf_token_is_refused_in_kiswahili(lead_in_kiswahili, client):
    response = client.post("/language", data={"language": "en"})

    assert response.status_code == 400
    assert "Fomu imefika bila tokeni yake ya usalama. Pakia ukurasa upya kisha utume fomu tena." in (
        text_of(response)
    )
    assert "The CSRF token is missing." not in text_of(response)


def test_an_unknown_choice_is_refused_in_kiswahili_naming_the_field(admin_in_kiswahili: AuthActions):
    response = admin_in_kiswahili.post(
        "/admin/users", {"email": "new@sauti.test", "role": "chief", "method": "link"}
    )

    assert response.status_code == 400
    assert (
        "chaguo la jukumu lazima liwe mojawapo ya: mjumbe wa jopo, kiongozi wa jopo, mkaguzi, msimamizi"
        in text_of(response)
    )
    assert "Not a valid choice" not in text_of(response)


def test_the_invitation_form_names_the_panels_in_kiswahili(admin_in_kiswahili: AuthActions, client):
    page = text_of(client.get("/admin/users"))

    assert '<label for="p-feedback-desk">Dawati la Maoni</label>' in page
    assert "Feedback Desk" not in page
