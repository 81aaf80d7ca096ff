from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as scipy_stats

from squall.stats.distribution import Distribution
from squall.stats.histogram import Histogram
from squall.stats.mannwhitney import mann_whitney


def test_quantiles_match_the_histograms_own():
    rng = np.random.default_rng(0)
    values = rng.exponential(0.3, size=5000)
    hist = Histogram()
    hist.record_many(values.tolist())
    dist = Distribution.from_histogram(hist)
    assert dist.n == 5000
    for q in (0.5, 0.9, 0.95, 0.99, 1.0):
        assert dist.quantiles([q])[0] == pytest.approx(hist.value_at(q * 100))


def test_quantiles_of_raw_values():
    dist = Distribution.from_values([3.0, 1.0, 2.0, 2.0])
    assert dist.quantiles([0.25, 0.5, 0.75, 1.0]).tolist() == [1.0, 2.0, 2.0, 3.0]
    assert np.isnan(Distribution.from_values([]).quantiles([0.5])[0])


def test_bootstrap_resamples_stay_within_the_observed_values():
    dist = Distribution.from_values([1.0, 2.0, 3.0, 4.0, 5.0])
    boot = dist.bootstrap_quantiles([0.5, 0.99], 300, np.random.default_rng(1), chunk=64)
    assert boot.shape == (300, 2)
    assert set(np.unique(boot)) <= {1.0, 2.0, 3.0, 4.0, 5.0}
    assert boot[:, 1].mean() > boot[:, 0].mean()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_mann_whitney_agrees_with_scipy(seed):
    rng = np.random.default_rng(seed)
    a = np.round(rng.normal(10, 2, 400), 1)  # rounded: many ties
    b = np.round(rng.normal(10.3, 2, 300), 1)
    ours = mann_whitney(Distribution.from_values(a), Distribution.from_values(b))
    theirs = scipy_stats.mannwhitneyu(a, b, method="asymptotic", use_continuity=True)
    assert ours.u == pytest.approx(theirs.statistic)
    assert ours.p_value == pytest.approx(theirs.pvalue, rel=1e-6)


def test_mann_whitney_effect_direction_and_degenerate_cases():
    low = Distribution.from_values([1.0, 2.0, 3.0])
    high = Distribution.from_values([10.0, 11.0, 12.0])
    assert mann_whitney(low, high).effect == 1.0
    assert mann_whitney(high, low).effect == 0.0
    same = Distribution.from_values([1.0, 1.0])
    assert mann_whitney(same, same).p_value == 1.0
    assert np.isnan(mann_whitney(same, Distribution.from_values([])).p_value)
