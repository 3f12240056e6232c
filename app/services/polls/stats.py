"""Statistics for poll results: Wilson intervals for shares and a chi-square test between groups."""

import math
from dataclasses import dataclass

from scipy.stats import chi2_contingency

Z_95 = 1.959963984540054  # two-sided 95% quantile of the standard normal distribution
MIN_EXPECTED = 5


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float] | None:
    """The Wilson score interval for a share, or None when nobody was asked.

    Unlike the normal approximation it stays within [0, 1] and behaves at 0% and 100%,
    which small polls reach often.
    """
    if trials <= 0:
        return None
    if not 0 <= successes <= trials:
        raise ValueError("successes must lie between 0 and trials")
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half_width = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    return max(0.0, centre - half_width), min(1.0, centre + half_width)


@dataclass(frozen=True)
class IndependenceTest:
    statistic: float
    dof: int
    p_value: float
    cramers_v: float
    n: int

    def to_json(self) -> dict:
        return {"statistic": self.statistic, "dof": self.dof, "p_value": self.p_value}


def chi_square_is_valid(table: list[list[int]]) -> bool:
    """Whether a Pearson chi-square test of independence may be trusted on this table.

    The rule used is the strict one: at least two groups (rows) and two answers (columns),
    every row and column with at least one vote, and every expected count at least 5.
    Cochran's looser rule (no expected count below 1, at least 80% of them 5 or more) is
    common too; the strict rule is easier to explain to readers and errs on the side of
    saying "not enough votes" rather than reporting a shaky p-value.
    """
    if len(table) < 2 or any(len(row) != len(table[0]) for row in table) or len(table[0]) < 2:
        return False
    row_totals = [sum(row) for row in table]
    column_totals = [sum(column) for column in zip(*table, strict=True)]
    total = sum(row_totals)
    if total == 0 or 0 in row_totals or 0 in column_totals:
        return False
    return all(r * c / total >= MIN_EXPECTED for r in row_totals for c in column_totals)


def drop_empty_columns(table: list[list[int]]) -> list[list[int]]:
    """Answers nobody in the compared groups chose carry no information about independence."""
    keep = [j for j, column in enumerate(zip(*table, strict=True)) if sum(column) > 0]
    return [[row[j] for j in keep] for row in table]


def independence_test(table: list[list[int]]) -> IndependenceTest | None:
    """Pearson's chi-square test of independence between rows (groups) and columns (answers).

    Returns None unless chi_square_is_valid holds after dropping answers nobody chose.
    No continuity correction is applied: with every expected count at least 5 the plain
    Pearson statistic is accurate, and it matches what readers can recompute by hand.
    """
    table = drop_empty_columns(table)
    if not chi_square_is_valid(table):
        return None
    result = chi2_contingency(table, correction=False)
    n = sum(sum(row) for row in table)
    smaller_side = min(len(table), len(table[0])) - 1
    return IndependenceTest(
        statistic=float(result.statistic),
        dof=int(result.dof),
        p_value=float(result.pvalue),
        cramers_v=math.sqrt(float(result.statistic) / (n * smaller_side)),
        n=n,
    )
