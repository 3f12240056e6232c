"""SVG charts: well-formed, labelled for assistive technology, labels escaped, no inline style."""

import xml.etree.ElementTree as ET
from datetime import date

from app.insights.charts import Bar, BarGroup, bar_chart, grouped_bar_chart, timeline_chart

SVG = "{http://www.w3.org/2000/svg}"
NASTY = 'Yes <script>alert("x")</script> & "more"'


def parse(markup):
    return ET.fromstring(str(markup))


def assert_accessible(root, chart_id):
    assert root.get("role") == "img"
    title_id, desc_id = root.get("aria-labelledby").split()
    assert root.find(f"{SVG}title").get("id") == title_id == f"{chart_id}-title"
    assert root.find(f"{SVG}desc").get("id") == desc_id
    assert root.find(f"{SVG}title").text
    assert "style=" not in ET.tostring(root, encoding="unicode")


def texts(root):
    return [element.text for element in root.iter(f"{SVG}text")]


def test_bar_chart_is_well_formed_with_escaped_labels_and_whiskers():
    markup = bar_chart(
        "c1",
        "Share choosing each answer",
        "Bars with whiskers",
        [Bar(NASTY, 0.4, (0.3, 0.5)), Bar("No", None, note="fewer than 5")],
    )
    assert "<script>" not in markup
    root = parse(markup)
    assert_accessible(root, "c1")
    assert NASTY in texts(root)
    assert "40% (30%–50%)" in texts(root)
    assert "fewer than 5" in texts(root)
    assert len(root.findall(f"{SVG}line")) == 3  # interval and its two end caps
    bars = [r for r in root.iter(f"{SVG}rect") if "chart-bar" in r.get("class")]
    assert [b.get("width") for b in bars] == ["27.20%"]  # 40% of the bar area


def test_grouped_chart_draws_one_bar_per_group_and_notes_suppressed_ones():
    markup = grouped_bar_chart(
        "c2",
        "By role",
        "One bar per group",
        [
            BarGroup(
                "Yes",
                [
                    Bar("Clients", 0.7, series="client"),
                    Bar("Professionals", None, note="fewer than 5", series="professional"),
                ],
            )
        ],
    )
    root = parse(markup)
    assert_accessible(root, "c2")
    assert {"Yes", "Clients", "Professionals", "70%", "fewer than 5"} <= set(texts(root))
    classes = [r.get("class") for r in root.iter(f"{SVG}rect")]
    assert "chart-bar chart-series-client" in classes
    assert not any("professional" in c for c in classes)


def test_timeline_is_a_cumulative_step_line_between_first_and_last_day():
    markup = timeline_chart(
        "c3",
        "Votes over time",
        "Step line",
        [(date(2025, 3, 1), 4), (date(2025, 3, 3), 10)],
    )
    root = parse(markup)
    assert_accessible(root, "c3")
    path = next(root.iter(f"{SVG}path")).get("d")
    assert path.startswith("M0,1000 H0.0 V600.0")
    assert "H1000.0 V0.0" in path
    assert {"10 votes", "1 Mar 2025", "3 Mar 2025"} <= set(texts(root))


def test_timeline_without_votes_says_so():
    root = parse(timeline_chart("c4", "Votes over time", "Step line", []))
    assert "No votes yet." in texts(root)
