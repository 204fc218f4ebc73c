import pytest

from triage import Classification, load_routing, route
from triage.routing import RoutingError


def report(category="arrest_detention", urgency="normal", language="en", ward=None, possible=False):
    return Classification(
        category,
        urgency,
        language,
        ward,
        0.9,
        "test",
        needs_translation=language in ("so", "ar", "other"),
        needs_human_review=False,
        possible_emergency=possible,
    )


def test_demo_panels_have_both_names(routing):
    keys = {panel.key for panel in routing.panels}
    assert keys == {
        "police-accountability",
        "emergency-desk",
        "peace-committee",
        "feedback-desk",
        "translation-desk",
    }
    assert all(panel.name_en and panel.name_sw for panel in routing.panels)


def test_anything_critical_goes_to_the_emergency_desk(routing):
    assert route(report("extortion_harassment", "critical"), routing).panel == "emergency-desk"


@pytest.mark.parametrize("category", ["killing", "disappearance"])
def test_killings_and_disappearances_go_to_the_emergency_desk(routing, category):
    result = route(report(category, "high"), routing)
    assert (result.panel, result.rule) == ("emergency-desk", "killings-and-disappearances")


@pytest.mark.parametrize("category", ["recruitment_concern", "returnee_support", "community_tension"])
def test_peace_work_goes_to_the_peace_committee(routing, category):
    assert route(report(category), routing).panel == "peace-committee"


def test_feedback_goes_to_the_feedback_desk(routing):
    assert route(report("feedback", "low"), routing).panel == "feedback-desk"


def test_untranslated_message_goes_to_the_translation_desk(routing):
    result = route(report("other", "normal", language="so"), routing)
    assert (result.panel, result.rule) == ("translation-desk", "needs-translation")


def test_critical_untranslated_message_goes_to_the_emergency_desk(routing):
    assert route(report("other", "critical", language="ar"), routing).panel == "emergency-desk"


@pytest.mark.parametrize("category", ["arrest_detention", "violence_abuse", "extortion_harassment", "other"])
def test_other_reports_fall_back_to_police_accountability(routing, category):
    result = route(report(category, "high"), routing)
    assert (result.panel, result.rule) == ("police-accountability", "fallback")


def test_a_ward_rule_routes_that_ward_only(tmp_path):
    path = tmp_path / "routing.yaml"
    path.write_text(
        "fallback: a\n"
        "panels:\n"
        "  - {key: a, name_en: A, name_sw: A}\n"
        "  - {key: b, name_en: B, name_sw: B}\n"
        "rules:\n"
        "  - {name: pumwani, ward: [Pumwani], panel: b}\n",
        encoding="utf-8",
    )
    routing = load_routing(path)
    assert route(report(ward="Pumwani"), routing).panel == "b"
    assert route(report(ward="Airbase"), routing).panel == "a"


@pytest.mark.parametrize(
    ("body", "complaint"),
    [
        ("fallback: nowhere\npanels: [{key: a, name_en: A, name_sw: A}]\n", "fallback"),
        (
            "fallback: a\npanels: [{key: a, name_en: A, name_sw: A}]\n"
            "rules: [{name: r, category: [murder], panel: a}]\n",
            "unknown category",
        ),
        (
            "fallback: a\npanels: [{key: a, name_en: A, name_sw: A}]\n"
            "rules: [{name: r, urgency: [high], panel: z}]\n",
            "unknown panel",
        ),
    ],
)
def test_a_broken_routing_file_is_refused_with_the_reason(tmp_path, body, complaint):
    path = tmp_path / "routing.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(RoutingError, match=complaint):
        load_routing(path)


@pytest.mark.parametrize(
    ("category", "language"), [("violence_abuse", "en"), ("other", "so"), ("extortion_harassment", "sw")]
)
def test_a_possible_emergency_goes_to_the_emergency_desk_to_be_checked_now(routing, category, language):
    result = route(report(category, "normal", language=language, possible=True), routing)
    assert (result.panel, result.rule) == ("emergency-desk", "possible-emergency-to-emergency-desk")


def test_a_report_that_is_no_possible_emergency_stays_on_its_usual_desk(routing):
    assert route(report("violence_abuse", "normal"), routing).panel == "police-accountability"


def test_a_possible_emergency_rule_must_say_true_or_false(tmp_path):
    path = tmp_path / "routing.yaml"
    path.write_text(
        "fallback: a\npanels: [{key: a, name_en: A, name_sw: A}]\n"
        "rules: [{name: r, possible_emergency: [maybe], panel: a}]\n",
        encoding="utf-8",
    )
    with pytest.raises(RoutingError, match="unknown possible_emergency"):
        load_routing(path)
