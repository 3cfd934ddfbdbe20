// 视频监控点: the camera points as a Leaflet layer over the area's outline (no tiles: every byte
// comes from Yimen). The points come from GET /api/v1/cameras?region= with the page's session.
(function () {
  "use strict";
  var el = document.getElementById("camera-map");
  if (!el || !window.L) return;
  var COLOURS = { online: "#198754", offline: "#6c757d", broken: "#dc3545" };
  var NAMES = { online: "在线", offline: "离线", broken: "故障" };
  var map = L.map(el, { attributionControl: false, zoomSnap: 0.25 });
  var outlineNode = document.getElementById("camera-outline");
  var outline = outlineNode && JSON.parse(outlineNode.textContent);
  var shape = outline ? L.geoJSON(outline, { interactive: false, style: { color: "#1f3b57", weight: 2, fill: false } }).addTo(map) : null;
  if (shape && shape.getBounds().isValid()) map.fitBounds(shape.getBounds(), { padding: [12, 12] });
  else map.setView([25.86, 110.99], 12);
  fetch(el.dataset.api, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { return r.json(); })
    .then(function (cameras) {
      var layer = L.featureGroup();
      cameras.forEach(function (c) {
        var label = document.createElement("div");
        var name = document.createElement("strong");
        name.textContent = c.name;
        label.appendChild(name);
        label.appendChild(document.createElement("br"));
        label.appendChild(document.createTextNode(c.code + " · " + c.owner + " · " + NAMES[c.status]));
        L.circleMarker([c.lat, c.lng], { radius: 6, color: COLOURS[c.status], fillOpacity: 0.8 }).bindPopup(label).addTo(layer);
      });
      layer.addTo(map);
      if (!shape && cameras.length) map.fitBounds(layer.getBounds(), { padding: [12, 12] });
    });
})();
