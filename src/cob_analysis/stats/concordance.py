"""Harrell's concordance index, vectorised (the same counts as lifelines)."""

from __future__ import annotations

from typing import Any

import numpy as np


def concordance_index(
    durations: Any, scores: Any, events: Any, *, max_cells: int = 50_000_000
) -> float:
    """Harrell's C exactly as lifelines' `concordance_index` counts it, vectorised.

    A pair is comparable when the shorter time is an event (a client censored at the time of an
    event is compared with it); tied scores count one half. lifelines walks the clients one by
    one through a binary tree (4-5 s for a million); here each distinct event time updates a
    histogram of the distinct event scores at once: O(times x scores + n). When that grid would
    exceed `max_cells` (nearly continuous times and scores) lifelines' own (public) count is used."""
    from lifelines.utils import concordance_index as lifelines_concordance_index

    t = np.asarray(durations, dtype=float)
    s = np.asarray(scores, dtype=float)
    e = np.asarray(events).astype(bool)
    died_times = np.unique(t[e])
    levels = np.unique(s[e])
    if len(died_times) * (len(levels) + 1) > max_cells:
        return float(lifelines_concordance_index(t, s, e))
    if not len(levels):
        raise ZeroDivisionError("No admissable pairs in the dataset.")  # as lifelines says it
    below = np.searchsorted(levels, s, side="left")  # distinct event scores lower than s
    at = np.minimum(below, len(levels) - 1)
    tie = levels[at] == s
    # the pool a client is compared with: events strictly before it (an event) or up to and
    # including its time (censored); `stage` counts the event times in that pool
    stage = np.where(
        e, np.searchsorted(died_times, t, side="left"), np.searchsorted(died_times, t, side="right")
    )
    event_stage = np.searchsorted(died_times, t[e], side="left")
    event_level = np.searchsorted(levels, s[e], side="left")
    order_q, order_e = np.argsort(stage, kind="stable"), np.argsort(event_stage, kind="stable")
    q_bounds = np.searchsorted(stage[order_q], np.arange(len(died_times) + 1), side="left")
    e_bounds = np.searchsorted(event_stage[order_e], np.arange(len(died_times) + 1), side="left")
    hist = np.zeros(len(levels), dtype=np.int64)
    pooled = correct = tied = pairs = 0
    q_end = len(order_q)
    for g in range(len(died_times) + 1):
        stop = q_bounds[g + 1] if g < len(died_times) else q_end
        queries = order_q[q_bounds[g] : stop]
        if len(queries):
            below_counts = np.concatenate([[0], np.cumsum(hist)])
            correct += int(below_counts[below[queries]].sum())
            tied += int(np.where(tie[queries], hist[at[queries]], 0).sum())
            pairs += pooled * len(queries)
        if g < len(died_times):
            adding = event_level[order_e[e_bounds[g] : e_bounds[g + 1]]]
            hist += np.bincount(adding, minlength=len(levels))
            pooled += len(adding)
    if not pairs:
        raise ZeroDivisionError("No admissable pairs in the dataset.")  # as lifelines says it
    return (correct + 0.5 * tied) / pairs
