"""Turn PollResults into what pages show: figures as text, charts, and sentences about tests."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from markupsafe import Markup

from app.dates import format_day, format_month, format_number
from app.insights import bp, charts
from app.services.polls.changes import ChangedMinds
from app.services.polls.results import PollResults
from app.services.polls.suppression import Disclosure

SIGNIFICANCE = 0.05
SHORT_ENGAGEMENT_LABELS = {
    "joined": _l("Had joined"),
    "not_joined": _l("Had not"),
    "anonymous": _l("Anonymous"),
}
# The services name groups, scopes and notes in English, as the CSV and JSON downloads keep
# them; pages show them in the reader's language.
LABELS = {
    "Clients": _l("Clients"),
    "Professionals": _l("Professionals"),
    "Readers": _l("Readers"),
    "All voters": _l("All voters"),
    "All votes": _l("All votes"),
    "Members only": _l("Members only"),
    "Verified professionals": _l("Verified professionals"),
    "Counselor / therapist": _l("Counselor / therapist"),
    "Psychologist": _l("Psychologist"),
    "Social worker": _l("Social worker"),
    "Psychotherapist": _l("Psychotherapist"),
    "Psychiatrist": _l("Psychiatrist"),
    "Coach": _l("Coach"),
    "Other discipline": _l("Other discipline"),
    "Discipline not stated": _l("Discipline not stated"),
    "Had joined the discussion": _l("Had joined the discussion"),
    "Members who had not": _l("Members who had not"),
    "Anonymous readers": _l("Anonymous readers"),
    "Not enough votes to compare groups yet.": _l("Not enough votes to compare groups yet."),
    "Voters may choose several answers in this poll, so answers are not exclusive and a "
    "single chi-square test of independence does not apply. Compare the shares by group.": _l(
        "Voters may choose several answers in this poll, so answers are not exclusive and a "
        "single chi-square test of independence does not apply. Compare the shares by group."
    ),
}


@bp.app_template_global("insights_label")
def label_text(label: str) -> str:
    """A group, scope or note of the results in the reader's language."""
    return str(LABELS.get(label, label))


def count_text(count, k: int) -> str:
    """A count as readers see it: the number, "fewer than k", or "hidden"."""
    if count.disclosure is Disclosure.FEWER:
        return _("fewer than %(k)s", k=k)
    if count.disclosure is Disclosure.HIDDEN:
        return _("hidden")
    if count.disclosure is Disclosure.WITHHELD:
        return _("not shown")
    return format_number(count.value)


def share_text(share: float | None) -> str:
    return "—" if share is None else charts.percent(share)


def interval_text(ci95) -> str:
    if not ci95:
        return "—"
    return _("%(low)s to %(high)s", low=charts.percent(ci95[0]), high=charts.percent(ci95[1]))


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
    title = (
        _("Share of voters (several answers allowed) choosing each answer")
        if results.is_multiple
        else _("Share of voters choosing each answer")
    )
    return charts.bar_chart(
        chart_id,
        title,
        _(
            "Horizontal bars with 95% intervals drawn as whiskers; the table below gives the "
            "same numbers."
        ),
        bars,
    )


@bp.app_template_global()
def insights_group_chart(results: PollResults, chart_id: str) -> Markup:
    groups = [
        charts.BarGroup(
            label=option.label,
            bars=[
                charts.Bar(
                    label=label_text(group.label),
                    share=group.options[i].share,
                    note=_group_note(group, i, results.min_group_size),
                    series=group.key,
                )
                for group in results.groups
            ],
        )
        for i, option in enumerate(results.options)
    ]
    title = (
        _("Share of each group choosing each answer, by discipline")
        if results.by == "discipline"
        else _("Share of each group choosing each answer, by community role")
    )
    return charts.grouped_bar_chart(
        chart_id,
        title,
        _("For each answer, one bar per group; the table gives the same numbers."),
        groups,
    )


def _group_note(group, index: int, k: int) -> str:
    if group.total.shown == 0:
        return _("no votes")
    return count_text(group.options[index].count, k)


def period_label(period) -> str:
    """A calendar week by its Monday, a month by its name."""
    if period.start.day == 1 and (period.end - period.start).days > 7:
        return format_month(period.start)
    return _("Week of %(day)s", day=format_day(period.start))


@bp.app_template_global()
def insights_period(period) -> str:
    return period_label(period)


@bp.app_template_global()
def insights_period_chart(results: PollResults, chart_id: str) -> Markup:
    k = results.min_group_size
    return charts.column_chart(
        chart_id,
        _("Ballots cast per period"),
        _(
            "One column per period; a period whose count is not shown is a short outlined "
            "mark. The table gives the same numbers."
        ),
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
        return _("no changes")
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
                    label=label_text(group.label),
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
        _("Where changed answers went, by group"),
        _(
            "For each change from one answer to another that anyone made, one bar per group: "
            "the share of that group's changes after the discussion opened. The table gives "
            "the same numbers, and every other change, which no one made."
        ),
        groups,
    )


@bp.app_template_global()
def insights_engagement_chart(changes: ChangedMinds, chart_id: str) -> Markup:
    k = changes.min_group_size
    groups = [
        charts.BarGroup(
            label=label_text(group.label),
            bars=[
                charts.Bar(
                    label=str(SHORT_ENGAGEMENT_LABELS[engagement]),
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
        _("Changes after joining the discussion, and without"),
        _(
            "For each group, the share of its changes made by members who had joined the "
            "discussion since their previous vote, by members who had not, and by anonymous "
            "readers. The table gives the same numbers."
        ),
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
    if p_value < 0.001:
        return "p < " + format_number(0.001)
    return "p = " + charts.decimal(p_value, 3)


@bp.app_template_global()
def insights_independence_sentence(results: PollResults) -> str:
    """The result of the chi-square test in words a reader can follow."""
    test = results.independence
    if test is None:
        return label_text(results.independence_note)
    figures = "χ² = {}, {}, {}".format(
        charts.decimal(test.statistic, 2),
        ngettext("%(num)d degree of freedom", "%(num)d degrees of freedom", test.dof),
        p_value_text(test.p_value),
    )
    groups = ", ".join(label_text(group) for group in results.compared_groups)
    if test.p_value < SIGNIFICANCE:
        return _(
            "The groups answer differently: a difference this large would be unlikely if "
            "answers did not depend on the group (%(figures)s; groups compared: %(groups)s).",
            figures=figures,
            groups=groups,
        )
    return _(
        "No clear difference between the groups: a difference this size could easily arise "
        "by chance (%(figures)s; groups compared: %(groups)s).",
        figures=figures,
        groups=groups,
    )
