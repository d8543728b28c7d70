"""The hand-made product-limit estimate against lifelines' KaplanMeierFitter (independent)."""

import numpy as np
import pytest
from lifelines import KaplanMeierFitter

from cob_analysis.stats.product_limit import ProductLimit


def seeded(n: int, seed: int):
    rng = np.random.default_rng(seed)
    # whole months, so that events and censorings share many times (ties)
    durations = rng.integers(0, 30, n).astype(float)
    events = rng.random(n) < 0.6
    return durations, events


@pytest.mark.parametrize("n, seed", [(25, 1), (400, 2), (3000, 3)])
def test_survival_and_interval_equal_lifelines(n, seed):
    durations, events = seeded(n, seed)
    ours = ProductLimit().fit(durations, events)
    theirs = KaplanMeierFitter().fit(durations, events)
    ci = theirs.confidence_interval_survival_function_
    for t in np.unique(np.concatenate([durations, durations + 0.5])):
        if t > durations.max():
            assert np.isnan(ours.survival_at(t))
            continue
        expected = float(theirs.survival_function_at_times(t).iloc[0])
        assert ours.survival_at(t) == pytest.approx(expected, abs=1e-9)
        row = ci.loc[ci.index[ci.index <= t].max()]
        low, high = ours.interval_at(t)
        if expected < 1.0 and expected > 0.0:
            assert low == pytest.approx(row.iloc[0], abs=1e-9)
            assert high == pytest.approx(row.iloc[1], abs=1e-9)
    assert ours.median_ == pytest.approx(theirs.median_survival_time_, abs=1e-9) or (
        np.isnan(ours.median_) and np.isinf(theirs.median_survival_time_)
    )


def test_ties_of_events_and_censorings_at_one_time():
    # at t=2: two events and one censored; the censored client is still at risk at 2
    fit = ProductLimit().fit([1, 2, 2, 2, 3, 4], [True, True, True, False, True, False])
    assert list(fit.times_) == [1.0, 2.0, 3.0]
    assert list(fit.at_risk_) == [6, 5, 2]
    assert fit.survival_at(2) == pytest.approx(5 / 6 * 3 / 5, abs=1e-12)
    assert fit.survival_at(1.5) == pytest.approx(5 / 6, abs=1e-12)
    assert fit.survival_at(0.5) == 1.0 and fit.interval_at(0.5) == (1.0, 1.0)
    assert fit.median_ == 2.0  # S(2) = 5/6 * 3/5 = 1/2: the first time S <= 0.5


def test_survival_staying_above_half_has_no_median():
    fit = ProductLimit().fit([1, 2, 3, 4], [True, False, False, False])
    assert np.isnan(fit.median_)


def test_bad_durations_are_refused():
    with pytest.raises(ValueError, match="non-negative"):
        ProductLimit().fit([1, -1], [True, True])
    with pytest.raises(ValueError, match="length"):
        ProductLimit().fit([1, 2], [True])
