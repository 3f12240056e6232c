"""Wilson intervals and the chi-square test of independence with its validity rule."""

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from scipy.stats import chi2, chi2_contingency

from app.services.polls.stats import (
    chi_square_is_valid,
    chi_square_tail,
    drop_empty_columns,
    independence_test,
    wilson_interval,
)


@pytest.mark.parametrize(
    ("successes", "trials", "expected"),
    [
        (5, 10, (0.2366, 0.7634)),
        (0, 10, (0.0, 0.2775)),
        (10, 10, (0.7225, 1.0)),
        (1, 10, (0.0179, 0.4042)),
        (81, 263, (0.2553, 0.3662)),
    ],
)
def test_wilson_interval_matches_published_values(successes, trials, expected):
    low, high = wilson_interval(successes, trials)
    assert low == pytest.approx(expected[0], abs=5e-4)
    assert high == pytest.approx(expected[1], abs=5e-4)


def test_wilson_interval_contains_the_share_and_narrows_with_more_votes():
    small = wilson_interval(3, 10)
    large = wilson_interval(300, 1000)
    assert small[0] < 0.3 < small[1]
    assert large[0] < 0.3 < large[1]
    assert large[1] - large[0] < small[1] - small[0]


def test_wilson_interval_without_votes_is_none_and_rejects_impossible_counts():
    assert wilson_interval(0, 0) is None
    with pytest.raises(ValueError):
        wilson_interval(11, 10)


def test_chi_square_matches_a_hand_computed_example():
    # Every expected count is 15, so the statistic is 4 * 25 / 15.
    result = independence_test([[10, 20], [20, 10]])
    assert result.statistic == pytest.approx(100 / 15)
    assert result.dof == 1
    assert result.p_value == pytest.approx(0.00982, abs=1e-5)
    assert result.cramers_v == pytest.approx((100 / 15 / 60) ** 0.5)


def test_chi_square_agrees_with_scipy_on_a_larger_table():
    table = [[30, 12, 8], [14, 25, 11], [9, 10, 21]]
    result = independence_test(table)
    reference = chi2_contingency(table, correction=False)
    assert result.statistic == pytest.approx(reference.statistic)
    assert result.p_value == pytest.approx(reference.pvalue)
    assert result.dof == 4


@given(
    table=st.integers(2, 5).flatmap(
        lambda rows: st.integers(2, 6).flatmap(
            lambda columns: st.lists(
                st.lists(st.integers(5, 400), min_size=columns, max_size=columns),
                min_size=rows,
                max_size=rows,
            )
        )
    )
)
def test_chi_square_agrees_with_scipy_on_any_valid_table(table):
    assume(chi_square_is_valid(table))
    result = independence_test(table)
    reference = chi2_contingency(table, correction=False)
    assert result.statistic == pytest.approx(reference.statistic, rel=1e-9)
    assert result.dof == reference.dof
    assert result.p_value == pytest.approx(reference.pvalue, rel=1e-7, abs=1e-300)


@given(x=st.floats(0, 3000, allow_nan=False), dof=st.integers(1, 150))
def test_chi_square_tail_agrees_with_scipy(x, dof):
    assert chi_square_tail(x, dof) == pytest.approx(chi2.sf(x, dof), rel=1e-8, abs=1e-300)


def test_chi_square_tail_at_textbook_critical_values():
    # The 5% critical values printed in every table of the chi-square distribution.
    for dof, critical in [(1, 3.841), (2, 5.991), (3, 7.815), (4, 9.488), (10, 18.307)]:
        assert chi_square_tail(critical, dof) == pytest.approx(0.05, abs=5e-5)
    assert chi_square_tail(0, 3) == 1.0


def test_validity_requires_every_expected_count_of_at_least_five():
    assert chi_square_is_valid([[5, 5], [5, 5]])
    # Expected counts come from the margins: 5 each here although two cells are small.
    assert chi_square_is_valid([[2, 8], [8, 2]])
    assert not chi_square_is_valid([[1, 4], [4, 1]])  # expected 2.5
    assert not chi_square_is_valid([[40, 4], [40, 4]])  # expected 4 for the second answer


def test_validity_requires_two_groups_and_two_answers_with_votes():
    assert not chi_square_is_valid([[20, 20]])
    assert not chi_square_is_valid([[20], [20]])
    assert not chi_square_is_valid([[20, 20], [0, 0]])
    assert independence_test([[20, 20]]) is None


def test_answers_nobody_chose_are_left_out_of_the_test():
    assert drop_empty_columns([[10, 0, 20], [20, 0, 10]]) == [[10, 20], [20, 10]]
    result = independence_test([[10, 0, 20], [20, 0, 10]])
    assert result.dof == 1
    assert result.statistic == pytest.approx(100 / 15)
