// 受理登记: party rows added and removed in the page, registry persons picked from the
// autocomplete, the category list filtered as typed, petition fields shown for petitions, and a
// small map whose click locates the point into the region picker. No inline script (CSP): data
// comes in data-* attributes and a json_script block; the server answers with htmx fragments.
(function () {
  "use strict";
  var form = document.getElementById("intake-form");
  if (!form) return;

  // ---- party rows -------------------------------------------------------------------------
  var rows = document.getElementById("party-rows");
  var template = document.getElementById("party-template");
  var total = document.getElementById("id_parties-TOTAL_FORMS");

  document.getElementById("add-party").addEventListener("click", function () {
    var index = parseInt(total.value, 10);
    var holder = document.createElement("div");
    holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
    var row = holder.firstElementChild;
    rows.appendChild(row);
    total.value = String(index + 1);
    if (window.htmx) window.htmx.process(row);
    row.querySelector("input[name$='-name']").focus();
  });

  function field(row, suffix) {
    return row.querySelector("[name$='-" + suffix + "']");
  }

  function unlink(row) {
    field(row, "person_id").value = "";
    field(row, "person_label").value = "";
    row.querySelector("[data-person-chip]").classList.add("d-none");
  }

  rows.addEventListener("click", function (event) {
    var target = event.target;
    var row = target.closest("[data-party-row]");
    if (!row) return;
    var pick = target.closest("[data-person-id]");
    if (pick) {
      field(row, "name").value = pick.dataset.personName;
      field(row, "person_id").value = pick.dataset.personId;
      field(row, "person_label").value = pick.dataset.personLabel;
      row.querySelector("[data-person-chip-text]").textContent = pick.dataset.personLabel;
      row.querySelector("[data-person-chip]").classList.remove("d-none");
      row.querySelector(".person-suggestions").textContent = "";
      document.body.dispatchEvent(new CustomEvent("person-picked"));
    } else if (target.closest("[data-person-unlink]")) {
      unlink(row);
      document.body.dispatchEvent(new CustomEvent("person-picked"));
    } else if (target.closest("[data-party-remove]")) {
      // A blank row is skipped on the server, so removing is clearing and hiding.
      row.querySelectorAll("input:not([type=hidden])").forEach(function (input) { input.value = ""; });
      unlink(row);
      row.classList.add("d-none");
      document.body.dispatchEvent(new CustomEvent("person-picked"));
    }
  });

  rows.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      var row = event.target.closest("[data-party-row]");
      if (row) row.querySelector(".person-suggestions").textContent = "";
    }
  });

  // ---- kind-dependent fields and the category picker ---------------------------------------
  var kind = document.getElementById("id_kind");
  var petitionType = document.getElementById("id_petition_type");

  function toggleKindFields() {
    var isPetition = kind.value === "petition";
    document.querySelectorAll("[data-only-kind='petition']").forEach(function (el) {
      el.classList.toggle("d-none", !isPetition);
    });
    document.querySelectorAll("[data-only-petition-type='accusation']").forEach(function (el) {
      el.classList.toggle("d-none", !(isPetition && petitionType.value === "accusation"));
    });
  }
  kind.addEventListener("change", toggleKindFields);
  petitionType.addEventListener("change", toggleKindFields);
  toggleKindFields();

  function categoryHint() {
    var select = document.getElementById("id_category");
    var hint = document.getElementById("category-hint");
    var risk = document.getElementById("risk-hint");
    if (!select || !hint) return;
    var option = select.options[select.selectedIndex];
    hint.textContent = option && option.dataset.deadline ? "办理期限：" + option.dataset.deadline : "";
    if (risk) {
      risk.textContent = option && option.dataset.riskLabel
        ? "目录默认" + option.dataset.riskLabel + "色；风险规则（扬言、群体、重复信访等）可能调高。"
        : "";
    }
  }

  document.addEventListener("input", function (event) {
    if (event.target.id !== "category-filter") return;
    var words = event.target.value.trim();
    var select = document.getElementById("id_category");
    select.querySelectorAll("optgroup").forEach(function (group) {
      var shown = 0;
      group.querySelectorAll("option").forEach(function (option) {
        // the row's name, its group, or a spoken word for it (家暴 → 家庭暴力: data-words)
        var spoken = option.dataset.words || "";
        var match = !words || option.textContent.indexOf(words) >= 0 || group.label.indexOf(words) >= 0 ||
          spoken.split(" ").some(function (word) { return word && (word.indexOf(words) >= 0 || words.indexOf(word) >= 0); });
        option.hidden = !match;
        if (match) shown += 1;
      });
      group.hidden = shown === 0;
    });
    var first = select.querySelector("optgroup:not([hidden]) option:not([hidden])");
    if (words && first) {
      select.value = first.value;
      categoryHint();
    }
  });
  document.addEventListener("change", function (event) {
    if (event.target.id === "id_category") categoryHint();
  });
  categoryHint();

  // ---- region picker and the map ---------------------------------------------------------
  var lastRegion = document.getElementById("id_region").value;
  var marker = null;
  var map = null;

  document.body.addEventListener("htmx:afterSettle", function () {
    categoryHint();
    var lat = document.getElementById("id_lat");
    if (lat && !lat.value && marker && map) {  // not located (or chosen by hand): no pin
      map.removeLayer(marker);
      marker = null;
    }
    var region = document.getElementById("id_region");
    if (!region || region.value === lastRegion) return;
    lastRegion = region.value;
    document.body.dispatchEvent(new CustomEvent("region-changed"));
  });

  var el = document.getElementById("intake-map");
  if (!el || !window.L) return;
  map = L.map(el, { attributionControl: false, zoomSnap: 0.25, minZoom: 4, maxZoom: 19 });
  var outlineNode = document.getElementById("intake-outline");
  var outlineData = outlineNode ? JSON.parse(outlineNode.textContent) : null;
  var outline = outlineData
    ? L.geoJSON(outlineData, { interactive: false, style: { color: "#1f3b57", weight: 2, fill: false } })
    : null;
  if (outline && outline.getBounds().isValid()) {
    outline.addTo(map);
    map.fitBounds(outline.getBounds(), { padding: [8, 8] });
  } else {
    map.setView([25.86, 110.99], 11);
  }

  var url = el.dataset.featuresUrl + "?region=" + encodeURIComponent(el.dataset.region) + "&level=" + el.dataset.level;
  fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (!data) return;
      var layer = L.geoJSON(data, {
        interactive: false,
        style: { color: "#35506b", weight: 1, fillColor: "#4e79a7", fillOpacity: 0.12 }
      }).addTo(map);
      if (!outline && layer.getBounds().isValid()) map.fitBounds(layer.getBounds(), { padding: [8, 8] });
    })
    .catch(function () { /* the selects still work without the map */ });

  // A vector pin: Leaflet's image marker guesses its icon path from the CSS, which hashed static
  // file names (whitenoise's manifest) defeat.
  function pin(latlng) {
    return L.circleMarker(latlng, {
      interactive: false, radius: 8, color: "#b02a37", weight: 3, fillColor: "#dc3545", fillOpacity: 0.7
    });
  }
  var initialLat = parseFloat(document.getElementById("id_lat").value);
  var initialLng = parseFloat(document.getElementById("id_lng").value);
  if (!isNaN(initialLat) && !isNaN(initialLng)) marker = pin([initialLat, initialLng]).addTo(map);

  map.on("click", function (event) {
    var lat = event.latlng.lat.toFixed(6);
    var lng = event.latlng.lng.toFixed(6);
    if (marker) marker.setLatLng(event.latlng);
    else marker = pin(event.latlng).addTo(map);
    var region = document.getElementById("id_region").value;
    var query = "?lat=" + lat + "&lng=" + lng + "&region=" + encodeURIComponent(region);
    window.htmx.ajax("GET", el.dataset.pickerUrl + query, { target: "#region-picker", swap: "outerHTML" });
  });
})();
