"""Every word of a chart the app draws is inside the chart: the values on the axis and the
first slanted label are not cut off at its left edge."""

from __future__ import annotations

import pytest

from app.audit.charts import Series, bar_chart, line_chart

pytestmark = pytest.mark.browser

LABELS = ["Human Rights Defenders", "Kamukunji", "Eastleigh North"]
# How far the leftmost text of the first chart on the page starts left of the chart's edge.
CUT_OFF = """() => {
  const chart = document.querySelector("svg.chart").getBoundingClientRect();
  const texts = [...document.querySelectorAll("svg.chart text")];
  return Math.max(0, ...texts.map(t => chart.left - t.getBoundingClientRect().left));
}"""


@pytest.mark.parametrize("draw", [bar_chart, line_chart])
def test_small_values_and_a_long_first_label_fit_in_the_chart(browser, draw):
    chart = draw("Median hours", LABELS, [Series("to acknowledge", [0.0375, 0.05, 0.02])], " h")
    browser.set_viewport_size({"width": 480, "height": 600})
    browser.set_content(f"<!doctype html><body style='margin:0'>{chart}</body>")

    assert browser.evaluate(CUT_OFF) == 0
    assert "0.0375 h" in browser.locator("svg.chart").text_content()
