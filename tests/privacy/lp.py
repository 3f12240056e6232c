"""A small linear programme on OR-Tools GLOP, with expressions kept as {variable: coefficient}.

GLOP is a different solver from the one the site plans suppression with, so a mistake in one is
not repeated by the other. The model is kept between solves: only the objective changes.
"""

from ortools.linear_solver import pywraplp

Expression = dict[int, float]


def add(*expressions: Expression) -> Expression:
    total: Expression = {}
    for expression in expressions:
        for variable, coefficient in expression.items():
            total[variable] = total.get(variable, 0.0) + coefficient
    return total


def scaled(expression: Expression, factor: float) -> Expression:
    return {variable: coefficient * factor for variable, coefficient in expression.items()}


class Infeasible(Exception):
    """No values agree with everything that was published."""


class Programme:
    def __init__(self):
        self.solver = pywraplp.Solver.CreateSolver("GLOP")
        self.variables: list = []

    def variable(self, name: str, upper: float | None = None) -> Expression:
        """A new non-negative variable, as an expression."""
        infinity = self.solver.infinity()
        var = self.solver.NumVar(0.0, infinity if upper is None else upper, name)
        self.variables.append(var)
        return {len(self.variables) - 1: 1.0}

    def constrain(
        self, expression: Expression, lower: float | None = None, upper: float | None = None
    ) -> None:
        """lower <= expression <= upper (None: no bound on that side)."""
        infinity = self.solver.infinity()
        constraint = self.solver.Constraint(
            -infinity if lower is None else lower, infinity if upper is None else upper
        )
        for variable, coefficient in expression.items():
            constraint.SetCoefficient(self.variables[variable], coefficient)

    def optimum(self, expression: Expression, *, maximise: bool = False) -> list[float]:
        """Values of all the variables at an optimum of `expression`."""
        objective = self.solver.Objective()
        objective.Clear()
        for variable, coefficient in expression.items():
            objective.SetCoefficient(self.variables[variable], coefficient)
        if maximise:
            objective.SetMaximization()
        else:
            objective.SetMinimization()
        status = self.solver.Solve()
        if status == pywraplp.Solver.INFEASIBLE:
            raise Infeasible()
        if status != pywraplp.Solver.OPTIMAL:
            raise RuntimeError(f"GLOP stopped with status {status}")
        return [var.solution_value() for var in self.variables]


def value(expression: Expression, solution: list[float]) -> float:
    return sum(coefficient * solution[variable] for variable, coefficient in expression.items())
