// 网格地图: draws a region's villages, grids or micro-grids with Leaflet. No tile layer: every
// byte comes from Yimen itself (政务外网), so the polygons sit on a plain background.
// Page data arrives in data-* attributes and a json_script block (CSP allows no inline script).
(function () {
  "use strict";
  var el = document.getElementById("region-map");
  if (!el || !window.L) return;

  var PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"];
  var map = L.map(el, { attributionControl: false, zoomSnap: 0.25, minZoom: 4, maxZoom: 19 });
  var status = document.getElementById("map-status");
  var outlineNode = document.getElementById("region-outline");
  var outlineData = outlineNode ? JSON.parse(outlineNode.textContent) : null;
  var outline = outlineData
    ? L.geoJSON(outlineData, { interactive: false, style: { color: "#1f3b57", weight: 2.5, fill: false } })
    : null;
  var LABELLED = 30; // up to this many areas carry their name on the map, not only on hover
  var layer = null;
  var specials = null;
  // Leaflet needs a view before any layer: the region's outline if it has one, else the first layer.
  var fitted = Boolean(outline && outline.getBounds().isValid());
  if (fitted) map.fitBounds(outline.getBounds(), { padding: [12, 12] });
  else map.setView([35, 105], 4);
  if (outline) outline.addTo(map);

  function colour(code) {
    var sum = 0;
    for (var i = 0; i < code.length; i++) sum = (sum * 31 + code.charCodeAt(i)) % 9973;
    return PALETTE[sum % PALETTE.length];
  }

  function style(feature) {
    var special = feature.properties.level === "special";
    return {
      color: special ? "#b02a37" : "#35506b",
      weight: special ? 2 : 1,
      dashArray: special ? "4 3" : null,
      fillColor: special ? "#dc3545" : colour(feature.properties.code),
      fillOpacity: special ? 0.45 : 0.3
    };
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    return a;
  }

  // Built from DOM nodes, never HTML strings: region names are data.
  function popup(props) {
    var box = document.createElement("div");
    box.className = "geo-popup";
    var name = document.createElement("div");
    name.className = "geo-popup-name";
    name.textContent = props.name;
    var code = document.createElement("div");
    code.className = "geo-popup-code";
    code.textContent = props.code;
    var links = document.createElement("div");
    links.className = "geo-popup-links";
    links.appendChild(link(el.dataset.detailUrl.replace("CODE", encodeURIComponent(props.code)), "查看详情"));
    if (props.level !== "microgrid" && props.level !== "special") {
      links.appendChild(link(el.dataset.mapUrl + "?region=" + encodeURIComponent(props.code), "在地图上展开"));
    }
    box.appendChild(name);
    box.appendChild(code);
    box.appendChild(links);
    return box;
  }

  function bind(feature, shape, labelled) {
    var label = document.createElement("span");
    label.textContent = feature.properties.name;
    shape.bindTooltip(label, labelled
      ? { permanent: true, direction: "center", className: "geo-label" }
      : { sticky: true });
    shape.bindPopup(popup(feature.properties));
    shape.on("mouseover", function () { shape.setStyle({ weight: 3, fillOpacity: 0.55 }); });
    shape.on("mouseout", function () { shape.setStyle(style(feature)); });
  }

  function fetchLevel(level) {
    var url = el.dataset.featuresUrl + "?region=" + encodeURIComponent(el.dataset.region) + "&level=" + level;
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } }).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    });
  }

  function show(level) {
    if (status) status.textContent = "加载中…";
    fetchLevel(level).then(function (data) {
      if (layer) map.removeLayer(layer);
      var labelled = data.features.length <= LABELLED;
      layer = L.geoJSON(data, {
        style: style,
        onEachFeature: function (feature, shape) { bind(feature, shape, labelled); }
      }).addTo(map);
      if (specials) specials.bringToFront();
      if (!fitted && layer.getBounds().isValid()) {
        map.fitBounds(layer.getBounds(), { padding: [12, 12] });
        fitted = true;
      }
      if (status) status.textContent = "共 " + data.features.length + " 个区域";
    }).catch(function () {
      if (status) status.textContent = "地图数据加载失败，请刷新重试。";
    });
  }

  function toggleSpecials(on) {
    if (!on) {
      if (specials) map.removeLayer(specials);
      specials = null;
      return;
    }
    fetchLevel("special").then(function (data) {
      specials = L.geoJSON(data, {
        style: style,
        onEachFeature: function (feature, shape) { bind(feature, shape, false); }
      }).addTo(map);
    });
  }

  var buttons = document.querySelectorAll("[data-map-level]");
  Array.prototype.forEach.call(buttons, function (button) {
    button.addEventListener("click", function () {
      Array.prototype.forEach.call(buttons, function (other) {
        other.classList.toggle("active", other === button);
        other.setAttribute("aria-pressed", other === button ? "true" : "false");
      });
      show(button.dataset.mapLevel);
    });
  });
  var specialBox = document.getElementById("map-specials");
  if (specialBox) {
    specialBox.addEventListener("change", function () { toggleSpecials(specialBox.checked); });
    toggleSpecials(specialBox.checked);
  }
  show(el.dataset.level);
})();
