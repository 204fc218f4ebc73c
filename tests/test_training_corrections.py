"""Every reclassification by a panel becomes a labelled example for the next training."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.cli.triage import panel_corrections
from storage import Case, Report, User
from storage.casework.actions import reclassify
from storage.casework.corrections import corrected_examples

TEXT = "Askari wa Kamukunji wanaitisha hongo kila siku sokoni Gikomba, jina langu ni Halima Wekesa"


def test_a_reclassification_shows_up_in_the_next_training_set(reported_case, make_user, runtime):
    ref = reported_case(TEXT)
    reclassify_case(runtime, ref, make_user("panel_member"))

    with runtime.store.transaction() as session:
        examples = corrected_examples(session, runtime.store.keys)

    assert examples == [(TEXT, "violence_abuse", examples[0][2])]


def test_reports_no_panel_corrected_are_not_in_the_training_set(reported_case, runtime):
    reported_case(TEXT)

    with runtime.store.transaction() as session:
        assert corrected_examples(session, runtime.store.keys) == []


def test_training_examples_from_corrections_carry_no_name_of_the_reporter(
    app, reported_case, make_user, runtime
):
    reclassify_case(runtime, reported_case(TEXT), make_user("panel_member"))

    with app.app_context():
        [(text, category, _)] = panel_corrections()

    assert category == "violence_abuse"
    assert "Halima" not in text
    assert "Wekesa" not in text
    assert "Gikomba" in text


@pytest.mark.parametrize("stack", ["sqlite"], indirect=True)
def test_triage_train_folds_in_the_corrections(app, reported_case, make_user, runtime, tmp_path):
    reclassify_case(runtime, reported_case(TEXT), make_user("panel_member"))

    result = app.test_cli_runner().invoke(args=["triage", "train", "--output", str(tmp_path)])

    assert result.exit_code == 0, result.output
    assert "and 1 corrections" in result.output
    assert "macro-F1 0." in result.output
    assert (tmp_path / "current.json").exists()


def reclassify_case(runtime, ref: str, member) -> None:
    with runtime.store.transaction() as session:
        case = session.scalars(select(Case).join(Report).where(Report.ref == ref)).one()
        reclassify(session, session.get_one(User, member.id), case, {"category": "violence_abuse"})
