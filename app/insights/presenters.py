"""Turn PollResults into what pages show: figures as text, charts, and sentences about tests."""

from markupsafe import Markup

from app.insights import bp, charts
from app.services.polls.changes import ChangedMinds
from app.services.polls.results import PollResults
from app.services.polls.suppression import Disclosure

SIGNIFICANCE = 0.05
SHORT_ENGAGEMENT_LABELS = {
    "joined": "Had joined",
    "not_joined": "Had not",
    "anonymous": "Anonymous",
}


def count_text(count, k: int) -> str:
    """A count as readers see it: the number, "fewer than k", or "hidden"."""
    if count.disclosure is Disclosure.FEWER:
        return f"fewer than {k}"
    if count.disclosure is Disclosure.HIDDEN:
        return "hidden"
    if count.disclosure is Disclosure.WITHHELD:
        return "not shown"
    return f"{count.value:,}"


def share_text(share: float | None) -> str:
    return "—" if share is None else charts.percent(share)


def interval_text(ci95) -> str:
    return "—" if not ci95 else f"{charts.percent(ci95[0])} to {charts.percent(ci95[1])}"


@bp.app_template_global()
def insights_overall_chart(results: PollResults, chart_id: str) -> Markup:
    bars = [
        charts.Bar(
            label=option.label,
            share=option.share,
            ci95=option.ci95,
            note=count_text(option.count, results.min_group_size),
        )
        for option in results.options
    ]
    who = "voters" if not results.is_multiple else "voters (several answers allowed)"
    return charts.bar_chart(
        chart_id,
        f"Share of {who} choosing each answer",
        "Horizontal bars with 95% intervals drawn as whiskers; the table below gives the "
        "same numbers.",
        bars,
    )


@bp.app_template_global()
def insights_group_chart(results: PollResults, chart_id: str) -> Markup:
    groups = [
        charts.BarGroup(
            label=option.label,
            bars=[
                charts.Bar(
                    label=group.label,
                    share=group.options[i].share,
                    note=_group_note(group, i, results.min_group_size),
                    series=group.key,
                )
                for group in results.groups
            ],
        )
        for i, option in enumerate(results.options)
    ]
    return charts.grouped_bar_chart(
        chart_id,
        f"Share of each group choosing each answer, by {results.by.replace('_', ' ')}",
        "For each answer, one bar per group; the table gives the same numbers.",
        groups,
    )


def _group_note(group, index: int, k: int) -> str:
    if group.total.shown == 0:
        return "no votes"
    return count_text(group.options[index].count, k)


def period_label(period) -> str:
    """A calendar week by its Monday, a month by its name."""
    if period.start.day == 1 and (period.end - period.start).days > 7:
        return period.start.strftime("%B %Y")
    return f"Week of {period.start.strftime('%-d %b %Y')}"


@bp.app_template_global()
def insights_period(period) -> str:
    return period_label(period)


@bp.app_template_global()
def insights_period_chart(results: PollResults, chart_id: str) -> Markup:
    k = results.min_group_size
    return charts.column_chart(
        chart_id,
        "Ballots cast per period",
        "One column per period; a period whose count is not shown is a short outlined mark. "
        "The table gives the same numbers.",
        [
            charts.Column(period_label(p.period), p.ballots.shown, count_text(p.ballots, k))
            for p in results.periods
        ],
    )


def share_of(count, total) -> float | None:
    """A count's share of its group's total, where both are shown and the total is not 0."""
    if count.suppressed or total.suppressed or total.value == 0:
        return None
    return count.value / total.value


def _changes_note(count, total, k: int) -> str:
    if total.shown == 0:
        return "no changes"
    return count_text(count, k)


def charted_moves(changes: ChangedMinds) -> list:
    """The moves worth a place in the chart: those not published as 0 for every group."""
    return [move for move in changes.moves if any(c.shown != 0 for c in move.counts.values())]


@bp.app_template_global()
def insights_moves_chart(changes: ChangedMinds, chart_id: str) -> Markup:
    k = changes.min_group_size
    groups = [
        charts.BarGroup(
            label=f"{move.from_label} → {move.to_label}",
            bars=[
                charts.Bar(
                    label=group.label,
                    share=share_of(move.counts[group.key], group.total),
                    note=_changes_note(move.counts[group.key], group.total, k),
                    series=group.key,
                )
                for group in changes.groups
            ],
        )
        for move in charted_moves(changes)
    ]
    return charts.grouped_bar_chart(
        chart_id,
        "Where changed answers went, by group",
        "For each change from one answer to another that anyone made, one bar per group: the "
        "share of that group's changes after the discussion opened. The table gives the same "
        "numbers, and every other change, which no one made.",
        groups,
    )


@bp.app_template_global()
def insights_engagement_chart(changes: ChangedMinds, chart_id: str) -> Markup:
    k = changes.min_group_size
    groups = [
        charts.BarGroup(
            label=group.label,
            bars=[
                charts.Bar(
                    label=SHORT_ENGAGEMENT_LABELS[engagement],
                    share=share_of(count, group.total),
                    note=_changes_note(count, group.total, k),
                    series=group.key,
                )
                for engagement, count in group.engagement.items()
            ],
        )
        for group in changes.groups
    ]
    return charts.grouped_bar_chart(
        chart_id,
        "Changes after joining the discussion, and without",
        "For each group, the share of its changes made by members who had joined the "
        "discussion since their previous vote, by members who had not, and by anonymous "
        "readers. The table gives the same numbers.",
        groups,
    )


@bp.app_template_global()
def insights_share_of(count, total) -> str:
    return share_text(share_of(count, total))


@bp.app_template_global()
def insights_count(count, k: int) -> str:
    return count_text(count, k)


@bp.app_template_global()
def insights_share(share) -> str:
    return share_text(share)


@bp.app_template_global()
def insights_interval(ci95) -> str:
    return interval_text(ci95)


def p_value_text(p_value: float) -> str:
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


@bp.app_template_global()
def insights_independence_sentence(results: PollResults) -> str:
    """The result of the chi-square test in words a reader can follow."""
    test = results.independence
    if test is None:
        return results.independence_note
    groups = ", ".join(results.compared_groups)
    figures = (
        f"χ² = {test.statistic:.2f}, {test.dof} degree{'s' if test.dof != 1 else ''} of freedom, "
        f"{p_value_text(test.p_value)}"
    )
    if test.p_value < SIGNIFICANCE:
        verdict = (
            "The groups answer differently: a difference this large would be unlikely "
            "if answers did not depend on the group"
        )
    else:
        verdict = (
            "No clear difference between the groups: a difference this size could easily "
            "arise by chance"
        )
    return f"{verdict} ({figures}; groups compared: {groups})."
