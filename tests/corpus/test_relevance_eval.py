"""Relevance on ../shared/eval through search(): MRR@10 must stay at or above 0.95."""

from __future__ import annotations

import pytest

from bench.relevance import load_eval, metrics
from tests.helpers import EVAL

pytestmark = pytest.mark.corpus


def test_eval_mrr_at_least_095(corpus_engine):
    if not (EVAL / "qrels.txt").exists():
        pytest.skip(f"{EVAL} missing: eval SKIPPED")
    queries, qrels = load_eval(EVAL)
    judged = [qid for qid in queries if qid in qrels]
    totals = {"MRR@10": 0.0, "Success@1": 0.0, "Success@10": 0.0}
    for qid in judged:
        ranked = [r["path"] for r in corpus_engine.search(queries[qid], facets=False,
                                                          snippets=False)["results"]]
        for key, value in metrics(ranked, qrels[qid]).items():
            if key in totals:
                totals[key] += value
    mean = {key: value / len(judged) for key, value in totals.items()}
    print(f"eval over {len(judged)} queries: {mean}")
    assert mean["MRR@10"] >= 0.95, mean
    assert mean["Success@10"] >= 0.98, mean
