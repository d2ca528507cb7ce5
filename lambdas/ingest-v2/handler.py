"""Ingests raw feed items: parses their dates and normalises them."""
import json

from dateutil import parser as dateparser  # common-deps layer
from vectora_core import normalize_item  # vectora-core layer


def handler(event, context):
    items = []
    for raw in event.get("items", []):
        published = dateparser.parse(raw["published"]) if raw.get("published") else None
        items.append(normalize_item(raw, published))
    return {"statusCode": 200, "body": json.dumps({"ingested": len(items), "items": items})}
