"""Scores normalised items against a reader's interests."""


def score_item(item, interests, weights=None):
    """Keyword score in [0, 1]: the weighted share of interests found in the title or body."""
    if not interests:
        return 0.0
    weights = weights or {}
    text = f"{item.get('title', '')} {item.get('body', '')}".lower()
    total = sum(weights.get(word, 1.0) for word in interests)
    found = sum(weights.get(word, 1.0) for word in interests if word.lower() in text)
    return round(found / total, 4) if total else 0.0


def rank_items(items, interests, weights=None, limit=10):
    """Highest score first; ties keep the newest item first."""
    scored = [dict(item, score=score_item(item, interests, weights)) for item in items]
    scored.sort(key=lambda item: (item["score"], item.get("published_at", "")), reverse=True)
    return scored[:limit]
