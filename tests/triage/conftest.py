"""Fixtures for triage tests: the shipped data files, and a tiny hand-set model."""

from __future__ import annotations

import numpy as np
import pytest

from triage import load_routing, load_sla_policy
from triage.model import LinearHead, TriageModel
from triage.taxonomy import CATEGORIES, URGENCIES


@pytest.fixture(scope="session")
def routing():
    return load_routing()


@pytest.fixture(scope="session")
def sla_policy():
    return load_sla_policy()


@pytest.fixture
def undecided_model() -> TriageModel:
    """A model with no opinion: every category and urgency equally likely."""

    def head(labels: tuple[str, ...]) -> LinearHead:
        return LinearHead(
            labels, np.zeros((1, len(labels)), np.float32), np.zeros(len(labels), np.float32), 1.0
        )

    return TriageModel(
        "undecided", {"w:police": 0}, np.ones(1, np.float32), head(CATEGORIES), head(URGENCIES)
    )
