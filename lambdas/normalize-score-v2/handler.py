"""Scores normalised items against interests given as YAML, and returns the best ones."""
import json
import os

import yaml  # common-deps layer
from vectora_core import rank_items  # vectora-core layer


def handler(event, context):
    profile = yaml.safe_load(event.get("profile_yaml") or "interests: []") or {}
    limit = int(os.environ.get("SCORE_LIMIT", "20"))
    ranked = rank_items(event.get("items", []), profile.get("interests", []), profile.get("weights"), limit)
    return {"statusCode": 200, "body": json.dumps({"items": ranked})}
