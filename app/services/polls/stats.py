"""Statistics for poll results: Wilson intervals for shares and a chi-square test between groups.

Plain Python on purpose: the chi-square tail of a whole number of degrees of freedom has a
closed form, and importing SciPy for it would add about 80 MB to every worker.
"""

import math
from dataclasses import dataclass

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
    row_totals = [sum(row) for row in table]
    column_totals = [sum(column) for column in zip(*table, strict=True)]
    n = sum(row_totals)
    statistic = math.fsum(
        (observed - expected) ** 2 / expected
        for row, row_total in zip(table, row_totals, strict=True)
        for observed, column_total in zip(row, column_totals, strict=True)
        for expected in (row_total * column_total / n,)
    )
    dof = (len(table) - 1) * (len(table[0]) - 1)
    smaller_side = min(len(table), len(table[0])) - 1
    return IndependenceTest(
        statistic=statistic,
        dof=dof,
        p_value=chi_square_tail(statistic, dof),
        cramers_v=math.sqrt(statistic / (n * smaller_side)),
        n=n,
    )


def chi_square_tail(x: float, dof: int) -> float:
    """P(X >= x) for X chi-square distributed with `dof` (a whole number) degrees of freedom.

    The closed forms of Abramowitz and Stegun 26.4.4 and 26.4.5: a finite Poisson sum for an
    even `dof`, the normal tail plus a finite sum for an odd one. Each term is computed as a
    logarithm, so neither a large statistic nor many degrees of freedom overflows.
    """
    if dof < 1:
        raise ValueError("dof must be a positive whole number")
    if x <= 0:
        return 1.0
    half, log_half = x / 2, math.log(x) - math.log(2)
    if dof % 2 == 0:
        logs = [-half + i * log_half - math.lgamma(i + 1) for i in range(dof // 2)]
        return min(1.0, math.fsum(math.exp(term) for term in logs))
    # 2 * phi(sqrt(x)) * x^(r - 1/2) / (1 * 3 * ... * (2r - 1)), for r = 1 .. (dof - 1) / 2
    log_scale = -half + math.log(2) - 0.5 * math.log(2 * math.pi)
    logs = [
        log_scale
        + (r - 0.5) * math.log(x)
        - (math.lgamma(2 * r + 1) - r * math.log(2) - math.lgamma(r + 1))
        for r in range(1, (dof - 1) // 2 + 1)
    ]
    return min(1.0, math.erfc(math.sqrt(half)) + math.fsum(math.exp(term) for term in logs))
