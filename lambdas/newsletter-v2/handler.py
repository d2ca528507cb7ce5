"""Renders the weekly newsletter from ranked items."""
import os
from datetime import datetime, timezone

from dateutil.relativedelta import relativedelta  # common-deps layer
from vectora_core import rank_items  # vectora-core layer


def handler(event, context):
    now = datetime.now(timezone.utc)
    since = (now - relativedelta(weeks=1)).isoformat()
    recent = [item for item in event.get("items", []) if item.get("published_at", "") >= since]
    top = rank_items(recent, event.get("interests", []), limit=5)
    title = os.environ.get("NEWSLETTER_TITLE", "Vectora weekly")
    lines = [f"# {title} ({now:%Y-%m-%d})"] + [f"- {item['title']} ({item['score']:.2f})" for item in top]
    return {"statusCode": 200, "body": "\n".join(lines)}
