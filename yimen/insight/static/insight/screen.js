// 指挥大屏 (/dashboard/screen/): fetches the dashboard's data every data-refresh seconds and
// redraws in place — no page reload, so the hall screen never flashes.
(function () {
  "use strict";
  var root = document.getElementById("screen");
  if (!root || !window.YimenCharts) return;
  var C = window.YimenCharts;
  var SHOWN = ["received", "accepted_rate", "closed_on_time_rate", "overdue", "mediation_success_rate", "satisfaction_rate",
               "signed_on_time_rate", "repeat_petition_rate", "village_resolution_rate", "police_contact_coverage"];
  var mapEl = document.getElementById("dashboard-map");
  var map = window.L ? new C.DensityMap(mapEl, { statusEl: document.getElementById("map-status"), dark: true }) : null;

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function kpis(cards) {
    var box = document.getElementById("screen-kpis");
    box.replaceChildren();
    cards.filter(function (c) { return SHOWN.indexOf(c.key) >= 0; }).forEach(function (c) {
      var card = el("div", "screen-kpi");
      card.title = c.definition;
      card.dataset.kpi = c.key;
      card.appendChild(el("div", "label", c.label));
      card.appendChild(el("div", "value", c.shown));
      box.appendChild(card);
    });
  }

  function list(id, rows, tagOf, empty) {
    var box = document.getElementById(id);
    box.replaceChildren();
    if (!rows.length) {
      box.appendChild(el("li", "screen-empty", empty));
      return;
    }
    rows.forEach(function (r) {
      var li = el("li");
      var tag = tagOf(r);
      li.appendChild(el("span", "tag tag-" + tag[0], tag[1]));
      li.appendChild(el("span", "title", r.title));
      li.appendChild(el("span", "text-secondary", r.unit));
      box.appendChild(li);
    });
  }

  function boards(b) {
    var overdue = [];
    b.levels.forEach(function (level) {
      level.rows.forEach(function (r) { overdue.push([level, r]); });
    });
    list("screen-overdue", overdue.slice(0, 14).map(function (p) { p[1].levelLabel = p[0].label; return p[1]; }),
      function (r) { return [r.level, r.levelLabel]; }, "目前没有超期事项。");
    list("screen-risk", b.risky.slice(0, 12), function (r) { return [r.risk, r.risk === "red" ? "红" : "橙"]; },
      "目前没有在办的红、橙色风险案件。");
    document.getElementById("screen-overdue-total").textContent = b.overdue_total + " 件";
    document.getElementById("screen-risk-total").textContent = b.risky_total + " 件";
  }

  function since(minutes) {
    return minutes < 60 ? minutes + " 分钟" : Math.floor(minutes / 60) + " 小时 " + (minutes % 60) + " 分钟";
  }

  // Active incidents and persons still missing come before the figures (issue 17 part 9).
  function now(data) {
    var rows = data.incidents.map(function (i) {
      return { tag: ["red", i.level], title: i.kind + " · " + i.title, unit: i.region + " · 已 " + since(i.minutes) };
    }).concat(data.missing.map(function (p) {
      return { tag: ["orange", "走失"], title: p.description, unit: "最后见于" + p.place + " · 已 " + since(p.minutes) };
    }));
    document.getElementById("screen-now").hidden = !rows.length;
    var was = root.classList.contains("has-now");
    root.classList.toggle("has-now", rows.length > 0);
    // The rows changed under charts and map already drawn: let them take their new size.
    if (was !== rows.length > 0) window.dispatchEvent(new Event("resize"));
    list("screen-now-list", rows, function (r) { return r.tag; }, "");
  }

  function refresh() {
    // X-Yimen-Poll: a refresh is not activity, so an unattended screen's session still times out.
    fetch(root.dataset.dataUrl, { credentials: "same-origin", headers: { Accept: "application/json", "X-Yimen-Poll": "1" } })
      .then(function (r) {
        if (r.status === 401 || r.redirected) {
          // The session ended: reload onto the login page rather than keep showing old figures.
          window.location.reload();
          throw new Error("logged out");
        }
        if (!r.ok) throw new Error(r.status);
        return r.json();
      })
      .then(function (data) {
        now(data.now); // first: it sets the rows the charts below are drawn into
        kpis(data.kpis);
        C.trend(document.getElementById("chart-trend"), data.trend, "dark");
        C.bars(document.getElementById("chart-units"), data.units, "dark");
        boards(data.boards);
        if (map) map.draw(data.map);
        document.getElementById("screen-period").textContent = data.period.since + " 至 " + data.period.until;
        document.getElementById("screen-updated").textContent = "更新于 " + new Date().toLocaleTimeString("zh-CN", { hour12: false });
      })
      .catch(function () {
        document.getElementById("screen-updated").textContent = "数据暂时无法更新，稍后自动重试";
      });
  }

  refresh();
  window.setInterval(refresh, Math.max(10, Number(root.dataset.refresh) || 60) * 1000);
})();
