"""Medians over rounds, and ratios as the median of per-round ratios (both sides measured in the same round)."""

import statistics
from collections.abc import Iterable, Mapping, Sequence


def median(values: Iterable[float | None]) -> float | None:
    """The median of the values present (None when none is)."""
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


def paired_ratio(mine: Mapping[int, float | None], theirs: Mapping[int, float | None]) -> float | None:
    """Median over the rounds of mine[round] / theirs[round], only rounds where both exist (None if none)."""
    pairs = []
    for round_no, value in mine.items():
        base = theirs.get(round_no)
        if value is not None and base:
            pairs.append(value / base)
    return statistics.median(pairs) if pairs else None


def ratio_of_lists(mine: Sequence[float], theirs: Sequence[float]) -> float | None:
    """paired_ratio of two lists indexed by round."""
    return paired_ratio(dict(enumerate(mine)), dict(enumerate(theirs)))


def spread(values: Sequence[float]) -> float | None:
    """(max - min) / median in %, or None with fewer than two values."""
    if len(values) < 2:
        return None
    middle = statistics.median(values)
    return 100.0 * (max(values) - min(values)) / middle if middle > 0 else None
