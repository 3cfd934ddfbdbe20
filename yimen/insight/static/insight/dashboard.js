// 指挥中心 (/dashboard/): fetches the page's data once and draws the charts and the map. The KPI
// cards, boards and drill-down table are rendered by the server; their tooltips start here.
(function () {
  "use strict";
  var trendEl = document.getElementById("chart-trend");
  var mapEl = document.getElementById("dashboard-map");
  if (!trendEl || !window.YimenCharts) return;
  var C = window.YimenCharts;

  if (window.bootstrap) {
    Array.prototype.forEach.call(document.querySelectorAll("[data-bs-toggle='tooltip']"), function (el) {
      new window.bootstrap.Tooltip(el, { trigger: "hover focus" });
    });
  }

  function drill(props, n) {
    var level = props.level;
    var lines = [{ text: props.name }, { text: "期间收案 " + n + " 件" }];
    var cases = mapEl.dataset.casesUrl + "?tab=all&region=" + encodeURIComponent(props.code);
    if (level === "town" || level === "village") {
      lines.push({ text: "查看该区域指挥中心 ›", href: mapEl.dataset.dashboardUrl + "?region=" + encodeURIComponent(props.code) });
    }
    lines.push({ text: "查看案件清单 ›", href: cases });
    return C.textBox(lines);
  }

  var map = mapEl && window.L ? new C.DensityMap(mapEl, { statusEl: document.getElementById("map-status"), drill: drill }) : null;

  fetch(trendEl.dataset.dataUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    })
    .then(function (data) {
      C.trend(trendEl, data.trend);
      C.pie(document.getElementById("chart-kinds"), data.kinds);
      C.bars(document.getElementById("chart-units"), data.units);
      if (map) map.draw(data.map, data.drill.filter(function (row) { return row.url; }));
    })
    .catch(function () {
      trendEl.textContent = "图表数据加载失败，请刷新重试。";
    });
})();
