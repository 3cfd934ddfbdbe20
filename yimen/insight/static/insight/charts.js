// The command centre's drawing, shared by the dashboard and the big screen: ECharts charts and
// the Leaflet density map. No tile layer (政务外网: every byte comes from Yimen itself); names
// and titles are data, so popups are built from DOM nodes, never HTML strings.
(function () {
  "use strict";

  // A zoomed page (the big screen on a 4K wall, insight.css) must draw its canvases at the
  // zoomed ratio, or they are stretched and blurred.
  function pixelRatio(el) {
    var zoom = parseFloat(window.getComputedStyle(el.ownerDocument.body).zoom) || 1;
    return (window.devicePixelRatio || 1) * zoom;
  }

  function chart(el, theme) {
    if (!el || !window.echarts) return null;
    var found = window.echarts.getInstanceByDom(el);
    return found || window.echarts.init(el, theme || null, { renderer: "canvas", devicePixelRatio: pixelRatio(el) });
  }

  // A month not over yet says so on its label and is drawn hollow: two days of a month are not a fall.
  function stepLabel(r) {
    if (r.grain !== "month") return r.at.slice(5);
    var label = Number(r.at.slice(5, 7)) + "月";
    if (r.partial) label += "（截至" + Number(r.through.slice(8)) + "日）";
    return label;
  }

  function whole(rows, key) {
    return rows.map(function (r) { return r.partial ? null : r[key]; });
  }

  function sofar(rows, key) {
    return rows.map(function (r) { return r.partial ? r[key] : null; });
  }

  function trend(el, rows, theme) {
    var c = chart(el, theme);
    if (!c) return;
    var partial = rows.some(function (r) { return r.partial; });
    var series = [
      { name: "收案", type: "line", smooth: true, data: whole(rows, "received") },
      { name: "办结", type: "line", smooth: true, data: whole(rows, "closed") }
    ];
    if (partial) {
      series.push({ name: "本月至今收案", type: "scatter", symbol: "emptyCircle", symbolSize: 10, data: sofar(rows, "received") });
      series.push({ name: "本月至今办结", type: "scatter", symbol: "emptyDiamond", symbolSize: 10, data: sofar(rows, "closed") });
    }
    c.setOption({
      backgroundColor: "transparent",
      tooltip: { trigger: "axis" },
      legend: { top: 0, type: "scroll" },
      grid: { left: 40, right: 16, top: 32, bottom: 28, containLabel: true },
      xAxis: { type: "category", data: rows.map(stepLabel), axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", minInterval: 1 },
      series: series
    }, true);
  }

  function pie(el, items, theme) {
    var c = chart(el, theme);
    if (!c) return;
    c.setOption({
      backgroundColor: "transparent",
      tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
      // Every kind in the legend, in rows under the ring: a scrolling legend hid all but two.
      legend: { bottom: 0, left: "center", type: "plain", itemGap: 8, itemWidth: 14, textStyle: { fontSize: 12 } },
      series: [{ type: "pie", radius: ["22%", "42%"], center: ["50%", "34%"], data: items, label: { show: false } }]
    });
  }

  function bars(el, items, theme) {
    var c = chart(el, theme);
    if (!c) return;
    var shown = items.slice().reverse();
    c.setOption({
      backgroundColor: "transparent",
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 24, top: 8, bottom: 8, containLabel: true },
      xAxis: { type: "value", minInterval: 1 },
      yAxis: { type: "category", data: shown.map(function (i) { return i.name; }),
               axisLabel: { width: 120, overflow: "truncate" } },
      series: [{ type: "bar", data: shown.map(function (i) { return i.value; }), itemStyle: { color: "#1c7ed6" } }]
    });
  }

  function resizeAll() {
    Array.prototype.forEach.call(document.querySelectorAll(".chart"), function (el) {
      var c = window.echarts && window.echarts.getInstanceByDom(el);
      if (c) c.resize();
    });
  }
  window.addEventListener("resize", resizeAll);

  // ---- the density map --------------------------------------------------------------------
  var RISK_COLOURS = { red: "#c62828", orange: "#e65100", yellow: "#f9c513", blue: "#1565c0" };

  var SHADES = ["#ffe8cc", "#ffc078", "#ff922b", "#f76707", "#d9480f", "#a61e4d"];

  function shade(n, max) {
    if (!n) return "#f1f3f5";
    var t = Math.min(1, n / (max || 1));
    return SHADES[Math.min(SHADES.length - 1, Math.floor(t * SHADES.length))];
  }

  // The colour key: which shade stands for how many cases, for the figures now drawn.
  function legendBox(max) {
    var box = document.createElement("div");
    box.className = "map-legend";
    var title = document.createElement("div");
    title.className = "map-legend-title";
    title.textContent = "收案（件）";
    box.appendChild(title);
    var rows = [{ colour: "#f1f3f5", text: "0" }];
    var top = max || 0;
    var last = 0;
    SHADES.forEach(function (colour, i) {
      var high = i === SHADES.length - 1 ? top : Math.ceil(((i + 1) * top) / SHADES.length) - 1;
      var low = last + 1;
      if (high < low) return;
      rows.push({ colour: colour, text: low === high ? String(low) : low + "–" + high });
      last = high;
    });
    rows.forEach(function (row) {
      var line = document.createElement("div");
      var swatch = document.createElement("span");
      swatch.className = "map-legend-swatch";
      swatch.style.background = row.colour;
      line.appendChild(swatch);
      line.appendChild(document.createTextNode(row.text));
      box.appendChild(line);
    });
    return box;
  }

  function textBox(lines) {
    var box = document.createElement("div");
    lines.forEach(function (line, i) {
      var node = document.createElement(line.href ? "a" : "div");
      if (line.href) { node.href = line.href; node.style.display = "block"; }
      if (i === 0) node.style.fontWeight = "600";
      node.textContent = line.text;
      box.appendChild(node);
    });
    return box;
  }

  function DensityMap(el, options) {
    this.el = el;
    this.options = options || {};
    this.map = L.map(el, { attributionControl: false, zoomSnap: 0.25, minZoom: 4, maxZoom: 19 });
    this.map.setView([25.86, 110.99], 11);
    this.areas = null;
    this.hazards = L.layerGroup().addTo(this.map);
    this.cameras = L.layerGroup();
    this.control = null;
    this.fitted = false;
  }

  DensityMap.prototype.legend = function (max) {
    if (this.key) this.map.removeControl(this.key);
    var key = L.control({ position: "bottomright" });
    key.onAdd = function () { return legendBox(max); };
    this.key = key.addTo(this.map);
  };

  DensityMap.prototype.status = function (text) {
    var node = this.options.statusEl;
    if (node) node.textContent = text;
  };

  // The names of the areas one level down (the villages of a town) on the map itself, each at the
  // middle of the shapes that lie in it, so the map reads without hovering.
  DensityMap.prototype.names = function (names) {
    var self = this;
    if (self.nameLayer) self.map.removeLayer(self.nameLayer);
    self.nameLayer = L.layerGroup().addTo(self.map);
    names.forEach(function (area) {
      var bounds = null;
      self.areas.eachLayer(function (shape) {
        if (String(shape.feature.properties.code).indexOf(area.code) !== 0) return;
        bounds = bounds ? bounds.extend(shape.getBounds()) : L.latLngBounds(shape.getBounds().getSouthWest(), shape.getBounds().getNorthEast());
      });
      if (!bounds) return;
      var text = document.createElement("span");
      text.textContent = area.name;
      L.tooltip({ permanent: true, direction: "center", className: "area-name", interactive: false })
        .setLatLng(bounds.getCenter()).setContent(text).addTo(self.nameLayer);
    });
  };

  DensityMap.prototype.draw = function (layers, names) {
    var self = this;
    var url = self.el.dataset.featuresUrl + "?region=" + encodeURIComponent(self.el.dataset.region) + "&level=" + layers.level;
    // The boundaries do not change between refreshes of the big screen: fetched once per level.
    var boundaries = self.geoUrl === url ? Promise.resolve(self.geo) : fetch(url, {
      credentials: "same-origin", headers: { Accept: "application/json" }
    }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
    return boundaries.then(function (geo) {
      self.geo = geo;
      self.geoUrl = url;
      if (self.areas) self.map.removeLayer(self.areas);
      self.areas = L.geoJSON(geo, {
        style: function (f) {
          var n = layers.density[f.properties.code] || 0;
          return { color: self.options.dark ? "#8ecae6" : "#35506b", weight: 1, fillColor: shade(n, layers.max), fillOpacity: 0.75 };
        },
        onEachFeature: function (f, shape) {
          var n = layers.density[f.properties.code] || 0;
          var label = document.createElement("span");
          label.textContent = f.properties.name + "：" + n + " 件";
          shape.bindTooltip(label, { sticky: true });
          if (self.options.drill) shape.bindPopup(self.options.drill(f.properties, n));
        }
      }).addTo(self.map);
      self.areas.bringToBack();
      self.legend(layers.max);
      self.names(names || []);
      if (!self.fitted && self.areas.getBounds().isValid()) {
        self.map.fitBounds(self.areas.getBounds(), { padding: [8, 8] });
        self.fitted = true;
      }
      self.points(layers);
      self.status(geo.features.length ? "共 " + geo.features.length + " 个区域" : "该区域暂无边界数据");
      self.el.dataset.drawn = String(geo.features.length);
    }).catch(function () {
      self.status("地图数据加载失败，请刷新重试。");
    });
  };

  DensityMap.prototype.points = function (layers) {
    var self = this;
    self.hazards.clearLayers();
    layers.hazards.forEach(function (h) {
      L.circleMarker([h.lat, h.lng], { radius: 6, color: "#fff", weight: 1, fillColor: RISK_COLOURS[h.risk] || "#c62828", fillOpacity: 0.95 })
        .bindPopup(textBox([{ text: "隐患 " + h.code }, { text: h.title }]))
        .addTo(self.hazards);
    });
    self.cameras.clearLayers();
    (layers.cameras || []).forEach(function (c) {
      L.circleMarker([c.lat, c.lng], { radius: 4, color: "#0b7285", weight: 1, fillColor: c.status === "online" ? "#15aabf" : "#868e96", fillOpacity: 0.9 })
        .bindPopup(textBox([{ text: "监控 " + c.name }, { text: c.code }]))
        .addTo(self.cameras);
    });
    if (!self.control) {
      var overlays = { "隐患（在办）": self.hazards };
      if (layers.cameras) overlays["监控点"] = self.cameras;
      self.control = L.control.layers(null, overlays, { collapsed: false }).addTo(self.map);
    }
  };

  window.YimenCharts = { trend: trend, pie: pie, bars: bars, DensityMap: DensityMap, textBox: textBox };
})();
