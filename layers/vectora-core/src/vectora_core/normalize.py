"""Turns raw feed items from different sources into one shape."""
import re
from datetime import datetime, timezone

_SPACES = re.compile(r"\s+")


def clean_text(value):
    return _SPACES.sub(" ", (value or "")).strip()


def normalize_item(raw, published_at=None):
    """Return {id, title, body, source, published_at} with whitespace folded and a UTC timestamp."""
    when = published_at or datetime.now(timezone.utc)
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return {
        "id": str(raw.get("id") or raw.get("guid") or "").strip(),
        "title": clean_text(raw.get("title")),
        "body": clean_text(raw.get("body") or raw.get("summary")),
        "source": clean_text(raw.get("source")).lower() or "unknown",
        "published_at": when.astimezone(timezone.utc).isoformat(),
    }
