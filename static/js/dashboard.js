// Organiser dashboard: draw each chart from the "dashboard-charts" JSON (Django's json_script)
// with the vendored Chart.js. Each chart's table stays on the page, folded away once the chart
// is drawn; without JavaScript, or for a chart with nothing to show, the table is all there is.
(function () {
  "use strict";

  var source = document.getElementById("dashboard-charts");
  if (!source || typeof window.Chart === "undefined") return;
  var charts = JSON.parse(source.textContent);

  // Colour-blind-safe palette (Okabe–Ito), led by the site's accent blue.
  var palette = ["#0b6e99", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#f0e442", "#999999"];
  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  window.Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  window.Chart.defaults.color = "#374151";

  function total(spec) {
    return spec.datasets.reduce(function (sum, dataset) {
      return sum + dataset.data.reduce(function (a, b) { return a + b; }, 0);
    }, 0);
  }

  function datasets(spec) {
    return spec.datasets.map(function (dataset, index) {
      var colours = spec.type === "doughnut"
        ? dataset.data.map(function (_value, i) { return palette[i % palette.length]; })
        : palette[index % palette.length];
      return {
        label: dataset.label,
        data: dataset.data,
        backgroundColor: colours,
        borderColor: spec.type === "doughnut" ? "#ffffff" : colours,
        borderWidth: spec.type === "doughnut" ? 2 : 0,
        maxBarThickness: 36
      };
    });
  }

  function options(spec) {
    var many = spec.datasets.length > 1 || spec.type === "doughnut";
    var result = {
      responsive: true,
      maintainAspectRatio: false,
      animation: reducedMotion ? false : { duration: 400 },
      plugins: { legend: { display: many, position: "bottom" } }
    };
    if (spec.type === "bar") {
      var count = { beginAtZero: true, stacked: !!spec.stacked, ticks: { precision: 0 } };
      // Long names (events) would squeeze the bars on a phone: shorten them; tooltips keep them whole.
      var maxChars = window.innerWidth < 600 ? 8 : 24;
      var category = {
        stacked: !!spec.stacked,
        ticks: {
          autoSkip: false,
          callback: function (value) {
            var label = String(this.getLabelForValue(value));
            return label.length > maxChars ? label.slice(0, maxChars - 1) + "…" : label;
          }
        }
      };
      result.indexAxis = spec.horizontal ? "y" : "x";
      result.scales = spec.horizontal ? { x: count, y: category } : { x: category, y: count };
    }
    return result;
  }

  charts.forEach(function (spec) {
    var canvas = document.getElementById(spec.id);
    if (!canvas || !spec.labels.length || total(spec) === 0) return;
    var box = canvas.parentElement;
    var panel = box.closest(".dashboard-panel");
    if (spec.horizontal) {
      // Bars need room on a phone: grow the box with the rows, and with the bars in each row.
      var grouped = !spec.stacked && spec.datasets.length > 1;
      var rowRem = grouped ? 1 + 0.9 * spec.datasets.length : 2.4;
      box.style.height = Math.max(12, spec.labels.length * rowRem + 5) + "rem";
    }
    box.hidden = false;
    new window.Chart(canvas, { type: spec.type, data: { labels: spec.labels, datasets: datasets(spec) }, options: options(spec) });
    var table = panel && panel.querySelector("details.chart-table");
    if (table) table.open = false;
  });
})();
