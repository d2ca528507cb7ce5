# Left out of the layer zip by the packager (tests/ folders never ship).
from vectora_core import score_item


def test_score_counts_matching_interests():
    assert score_item({"title": "Lambda layers", "body": ""}, ["lambda", "nx"]) == 0.5
