"""Vectora inbox core library, shipped to every function as the `vectora-core` layer."""
from .normalize import normalize_item
from .scoring import score_item, rank_items

__all__ = ["normalize_item", "score_item", "rank_items"]
__version__ = "1.4.2"
