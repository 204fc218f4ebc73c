"""Refusals of the admin's, the panel queue's and the auditor's pages, in Kiswahili for a person
who chose it: accounts and panels, queue and auditor filters, the input policy and the routing
rules say why in their language. The API, the CLI and the logs keep the English sentence."""

from __future__ import annotations

import sys
from html import unescape

import pytest

from storage.accounts import EmailError, normal_email
from tests.fixtures.staff import AuthActions
from triage.routing import RoutingError, parse_routing
from triage.sla import SlaPolicyError, parse_sla_policy

STATUS_REFUSED_EN = "status must be one of open, acknowledged, responded, resolved, all, received"


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def flashed(admin_in_kiswahili: AuthActions, client, path: str, data: dict[str, str]) -> str:
    """The page a refused admin form leads back to, with its message."""
    answer = admin_in_kiswahili.post(path, data)
    assert answer.status_code == 303
    return text_of(client.get(answer.location))


def invitation(email: str) -> dict[str, str]:
    return {"email": email, "role": "auditor", "method": "password", "language": "sw"}


def panel(key: str, name: str = "Jopo la majaribio") -> dict[str, str]:
    return {"key": key, "name": name, "name_sw": name}


def test_inviting_an_email_that_has_an_account_is_refused_in_kiswahili(admin_in_kiswahili, make_user, client):
    existing = make_user("auditor", ())

    page = flashed(admin_in_kiswahili, client, "/admin/users", invitation(existing.email))

    assert "tayari kuna akaunti yenye barua pepe hiyo" in page
    assert "an account with that email exists" not in page


def test_inviting_a_malformed_email_is_refused_in_kiswahili(admin_in_kiswahili):
    answer = admin_in_kiswahili.post("/admin/users", invitation("not-an-address"))

    assert answer.status_code == 400
    assert "andika anwani ya barua pepe, kama jina@example.org" in text_of(answer)


def test_a_panel_with_a_key_that_exists_is_refused_in_kiswahili(admin_in_kiswahili, client):
    page = flashed(admin_in_kiswahili, client, "/admin/panels", panel("police-accountability"))

    assert "tayari kuna jopo lenye ufunguo huo" in page
    assert "a panel with that key exists" not in page


def test_a_panel_key_of_other_than_ascii_letters_is_refused_in_kiswahili(admin_in_kiswahili):
    answer = admin_in_kiswahili.post("/admin/panels", panel("jopo la amani"))

    assert answer.status_code == 400
    assert "ufunguo wa jopo ni herufi za ASCII, tarakimu na vistari" in text_of(answer)


def test_an_over_long_form_value_is_refused_in_kiswahili_naming_the_field(admin_in_kiswahili):
    answer = admin_in_kiswahili.post("/admin/panels", panel("amani", name="x" * 201))

    assert answer.status_code == 400
    assert "sehemu ya jina ina herufi zaidi ya 200" in text_of(answer)


def test_a_control_character_in_a_query_is_refused_in_kiswahili(lead_in_kiswahili, client):
    answer = client.get("/panel/?ward=Pumwani%07")

    assert answer.status_code == 400
    assert "sehemu ya wadi ina herufi ya udhibiti U+0007" in text_of(answer)


def test_an_unknown_queue_status_is_refused_with_the_statuses_in_kiswahili(lead_in_kiswahili, client):
    answer = client.get("/panel/?status=nonsense")

    assert answer.status_code == 400
    assert "chaguo la hali lazima liwe mojawapo ya: wazi" in text_of(answer)
    assert STATUS_REFUSED_EN not in text_of(answer)


def test_a_queue_page_that_is_not_a_number_is_refused_in_kiswahili(lead_in_kiswahili, client):
    answer = client.get("/panel/?page=two")

    assert answer.status_code == 400
    assert "sehemu ya ukurasa lazima iwe namba kamili kuanzia 1 hadi 1000000" in text_of(answer)


def test_an_auditor_filter_that_is_not_a_month_is_refused_in_kiswahili(auditor_in_kiswahili, client):
    answer = client.get("/audit/?since=March")

    assert answer.status_code == 400
    assert "sehemu ya kuanzia lazima iwe mwezi, kama 2026-03" in text_of(answer)


def test_an_auditor_window_that_ends_before_it_starts_is_refused_in_kiswahili(auditor_in_kiswahili, client):
    answer = client.get("/audit/?since=2026-05&until=2026-03")

    assert answer.status_code == 400
    assert "mwezi wa kuanzia (2026-05) uko baada ya mwezi wa mwisho (2026-03)" in text_of(answer)


def save_rules(admin_in_kiswahili: AuthActions, kind: str, text: str):
    return admin_in_kiswahili.post(f"/admin/routing/{kind}", {"text": text}, page="/admin/routing")


def test_routing_rules_that_are_not_yaml_are_refused_in_kiswahili_keeping_pyyamls_words(admin_in_kiswahili):
    answer = save_rules(admin_in_kiswahili, "routing", "rules: [unclosed\n")

    assert answer.status_code == 400
    assert "routing.yaml: mstari 2: si YAML halali (expected ',' or ']', but got '<stream end>')" in (
        text_of(answer)
    )


def test_an_sla_deadline_that_is_no_duration_is_refused_in_kiswahili(admin_in_kiswahili):
    policy = "critical: {acknowledge: 5x, resolve: 1d}\nhigh: 1\nnormal: 1\nlow: 1\n"

    answer = save_rules(admin_in_kiswahili, "sla", policy)

    assert answer.status_code == 400
    assert "sla.yaml: muda wa mwisho wa critical '5x' haufanani na 15m, 2h au 14d" in text_of(answer)


def test_routing_to_a_panel_not_yet_created_is_refused_in_kiswahili(admin_in_kiswahili):
    routing = "panels:\n  - {key: wazee, name_en: Elders, name_sw: Wazee}\nfallback: wazee\n"

    answer = save_rules(admin_in_kiswahili, "routing", routing)

    assert answer.status_code == 400
    assert "routing.yaml: hakuna jopo wazee; liunde kwanza kwenye ukurasa wa Majopo" in text_of(answer)


def test_the_api_refuses_a_queue_filter_in_english_to_a_kiswahili_reader(
    lead_in_kiswahili, client, api_token
):
    answer = client.get(
        "/api/v1/cases?status=nonsense", headers={"Authorization": f"Bearer {api_token(lead_in_kiswahili)}"}
    )

    assert answer.status_code == 400
    assert answer.json["detail"] == STATUS_REFUSED_EN


def test_the_api_refuses_a_control_character_in_english_to_a_kiswahili_reader(
    lead_in_kiswahili, client, api_token
):
    answer = client.get(
        "/api/v1/cases?ward=Pumwani%07", headers={"Authorization": f"Bearer {api_token(lead_in_kiswahili)}"}
    )

    assert answer.status_code == 400
    assert answer.json["detail"] == "ward contains the control character U+0007"


def test_an_email_refusal_reads_as_english_outside_the_pages():
    with pytest.raises(EmailError) as refusal:
        normal_email("not-an-address")

    assert str(refusal.value) == "give an email address, like name@example.org"
    assert refusal.value.wording.message == "give an email address, like name@example.org"


CATEGORIES = (
    "['killing', 'disappearance', 'arrest_detention', 'violence_abuse', 'extortion_harassment',"
    " 'recruitment_concern', 'returnee_support', 'community_tension', 'feedback', 'other']"
)
PANEL_A = "panels: [{key: a, name_en: A, name_sw: B}]\n"
ROUTING_REFUSED = [
    (
        "a: &x 1\nb: *x\n",
        "line 1: aliases (*name) and anchors (&name) are not allowed; write each value out",
        "mstari 1: aliases (*jina) na anchors (&jina) haziruhusiwi; andika kila thamani kikamilifu",
    ),
    (
        "rules: [unclosed\n",
        "line 2: not valid YAML (expected ',' or ']', but got '<stream end>')",
        "mstari 2: si YAML halali (expected ',' or ']', but got '<stream end>')",
    ),
    ("[1, 2]\n", "expected fallback, panels and rules", "faili linapaswa kuwa na fallback, panels na rules"),
    (
        "panels: 3\n",
        "panels must be a list, each entry on a line of its own starting with -",
        "panels lazima iwe orodha, kila kipengele kwenye mstari wake kikianza na -",
    ),
    (
        "panels: [{key: a, name_en: A}]\nfallback: a\n",
        "a panel needs key, name_en and name_sw (no 'name_sw')",
        "kila jopo linahitaji key, name_en na name_sw ('name_sw' haipo)",
    ),
    (
        PANEL_A + "rules: [{name: r, panel: b}]\nfallback: a\n",
        "rule r sends to unknown panel 'b'",
        "kanuni r inapeleka kwenye jopo lisilojulikana 'b'",
    ),
    (
        PANEL_A + "rules: [{name: r, panel: a, category: [zz]}]\nfallback: a\n",
        f"rule r has unknown category ['zz']; choose from {CATEGORIES}",
        f"kanuni r ina category isiyojulikana ['zz']; chagua kutoka {CATEGORIES}",
    ),
    (
        PANEL_A + "rules: [{name: r, panel: a, category: zz}]\nfallback: a\n",
        "rule r must give category as a list, e.g. [zz]",
        "kanuni r lazima itoe category kama orodha, kwa mfano [zz]",
    ),
    (
        PANEL_A + "rules: [{panel: a, colour: red}]\nfallback: a\n",
        "rule (unnamed) has unknown fields {'colour'}",
        "kanuni isiyo na jina (name) ina sehemu zisizojulikana {'colour'}",
    ),
    (
        "x: !!int abc\n",
        f"line 1: 'abc' is not a whole number of at most {sys.get_int_max_str_digits()} digits",
        f"mstari 1: 'abc' si namba kamili yenye tarakimu zisizozidi {sys.get_int_max_str_digits()}",
    ),
    (
        "x: 2026-02-30\n",
        "line 1: '2026-02-30' is not a valid date or time",
        "mstari 1: '2026-02-30' si tarehe au saa halali",
    ),
    (
        "fallback: b\n" + PANEL_A,
        "fallback 'b' is not one of the panels ['a']",
        "fallback 'b' si mojawapo ya majopo ['a']",
    ),
]
OTHER_URGENCIES = "high: 1\nnormal: 1\nlow: 1\n"
SLA_REFUSED = [
    (
        "critical: 1\n",
        "no deadlines for ['high', 'low', 'normal']",
        "hakuna muda wa mwisho kwa ['high', 'low', 'normal']",
    ),
    (
        "- 1\n",
        "expected deadlines for each of ['critical', 'high', 'normal', 'low']",
        "faili linapaswa kuwa na muda wa mwisho kwa kila mojawapo ya ['critical', 'high', 'normal', 'low']",
    ),
    (
        "critical: 1\n" + OTHER_URGENCIES,
        "critical needs acknowledge and resolve, e.g. {acknowledge: 2h, resolve: 3d}",
        "critical inahitaji acknowledge na resolve, kwa mfano {acknowledge: 2h, resolve: 3d}",
    ),
    (
        "critical: {acknowledge: 2h, resolve: 1h}\n" + OTHER_URGENCIES,
        "critical must be resolved after it is acknowledged",
        "muda wa kutatua critical lazima uwe baada ya muda wa kuithibitisha",
    ),
    (
        "critical: {acknowledge: 1h, resolve: 900d}\n" + OTHER_URGENCIES,
        "critical deadline '900d' is longer than 365 days",
        "muda wa mwisho wa critical '900d' ni zaidi ya siku 365",
    ),
]


def loader_refusal(kind: str, text: str) -> str:
    parse, error = (parse_routing, RoutingError) if kind == "routing" else (parse_sla_policy, SlaPolicyError)
    with pytest.raises(error) as refusal:
        parse(text, f"{kind}.yaml")
    return str(refusal.value)


@pytest.mark.parametrize(
    ("kind", "text", "english", "kiswahili"),
    [("routing", *refused) for refused in ROUTING_REFUSED] + [("sla", *refused) for refused in SLA_REFUSED],
)
def test_each_rules_file_refusal_is_kiswahili_on_the_page_and_english_from_the_loader(
    admin_in_kiswahili, kind, text, english, kiswahili
):
    page = text_of(save_rules(admin_in_kiswahili, kind, text))

    assert f"{kind}.yaml: {kiswahili}" in page
    assert english not in page
    assert loader_refusal(kind, text) == f"{kind}.yaml: {english}"
