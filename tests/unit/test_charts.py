"""SVG charts: well-formed, labelled for assistive technology, labels escaped, no inline style."""

import xml.etree.ElementTree as ET

from app.insights.charts import Bar, BarGroup, Column, bar_chart, column_chart, grouped_bar_chart

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


def test_period_columns_scale_to_the_busiest_period_and_mark_suppressed_ones():
    markup = column_chart(
        "c3",
        "Ballots cast per period",
        "Columns",
        [
            Column("Week of 3 Mar 2025", 10),
            Column("Week of 10 Mar 2025", None, "fewer than 5"),
            Column("Week of 17 Mar 2025", 5),
        ],
    )
    root = parse(markup)
    assert_accessible(root, "c3")
    rects = {rect.get("class"): rect for rect in root.iter(f"{SVG}rect")}
    heights = [
        float(r.get("height")) for r in root.iter(f"{SVG}rect") if r.get("class") == "chart-bar"
    ]
    assert heights == [130.0, 65.0]
    assert rects["chart-suppressed"].find(f"{SVG}title").text == "Week of 10 Mar 2025: fewer than 5"
    assert {"10 ballots", "Week of 3 Mar 2025", "Week of 17 Mar 2025"} <= set(texts(root))


def test_period_chart_without_periods_says_so():
    root = parse(column_chart("c4", "Ballots cast per period", "Columns", []))
    assert "No votes yet." in texts(root)


def test_grouped_chart_leaves_its_longest_group_name_room_before_the_bars():
    def bar_start(names):
        groups = [BarGroup("Sí", [Bar(name, 0.5, series="client") for name in names])]
        root = parse(grouped_bar_chart("c4", "Por rol", "Una barra por grupo", groups))
        tracks = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "chart-track"]
        return float(tracks[0].get("x").rstrip("%"))

    # On the narrowest chart (250 px on a 320 px phone) "Profesionales" takes about 94 px.
    assert bar_start(["Clientes", "Profesionales"]) > 94 / 250 * 100
    assert bar_start(["Clients", "Readers"]) == 32.0
    # However long a name, the bars keep a third of the width.
    assert bar_start(["Trabajador/a social con un nombre muy largo"]) <= 46.0
