"""Triage: from the text of a report to its language, category, urgency, ward and panel.

Pure functions over text and data files; no web framework, database or network. Running
the model needs numpy only; ``train`` and ``retrain`` bring in scikit-learn when called.
"""

from triage.classification import Classification
from triage.classifier import classify, shipped_model
from triage.corpus import corpus_examples, load_corpus, load_evaluation_set
from triage.duplicates import Sighting, likely_duplicate
from triage.evaluation import evaluate
from triage.language import detect_language, reply_language
from triage.lexicon import greeting_only
from triage.model import TriageModel, load_model, save_model
from triage.places import extract_ward
from triage.redaction import redact
from triage.routing import Panel, Route, Routing, RoutingError, load_routing, route
from triage.sla import SlaPolicy, SlaPolicyError, due_at, due_for, load_sla_policy
from triage.tokens import without_references
from triage.training import retrain, train, train_on_corpus

__all__ = [
    "Classification",
    "Panel",
    "Route",
    "Routing",
    "RoutingError",
    "Sighting",
    "SlaPolicy",
    "SlaPolicyError",
    "TriageModel",
    "classify",
    "corpus_examples",
    "detect_language",
    "due_at",
    "due_for",
    "evaluate",
    "extract_ward",
    "greeting_only",
    "likely_duplicate",
    "load_corpus",
    "load_evaluation_set",
    "load_model",
    "load_routing",
    "load_sla_policy",
    "redact",
    "reply_language",
    "retrain",
    "route",
    "save_model",
    "shipped_model",
    "train",
    "train_on_corpus",
    "without_references",
]
