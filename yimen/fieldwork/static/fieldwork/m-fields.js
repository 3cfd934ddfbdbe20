// 一门 网格工作 (/m/): the fields of the outbox forms that do more than hold text: photos
// compressed on the phone, the location (GPS or a grid chosen by hand, one at a time), the
// category list filtered by kind, and a patrol's route. m.js attaches them to each form and
// passes the draft saver, so that each change is kept as it is made.
(function () {
  "use strict";
  var MAX_PHOTOS = 3, MAX_ORIGINAL = 20 * 1024 * 1024, MAX_BYTES = 600 * 1024, MAX_SIDE = 1600;
  var saveDraft = null;

  // ---- photos: compressed on the phone before they are queued ----------------------------------
  function compress(file) {
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      var quality = 0.7, url = canvas.toDataURL("image/jpeg", quality);
      while (url.length * 0.75 > MAX_BYTES && quality > 0.3) { quality -= 0.15; url = canvas.toDataURL("image/jpeg", quality); }
      if (url.length * 0.75 > MAX_BYTES) throw new Error("big");
      return url;
    });
  }
  function photos(form) {
    var input = form.querySelector("[data-photos]");
    if (!input) return;
    var error = form.querySelector("[data-photo-error]"), thumbs = form.querySelector("[data-thumbs]");
    form.photos = form.photos || [];
    function draw() {
      thumbs.textContent = "";
      form.photos.forEach(function (url, i) {
        var img = document.createElement("img");
        img.src = url;
        img.alt = "照片 " + (i + 1) + "（点按删除）";
        img.addEventListener("click", function () { form.photos.splice(i, 1); draw(); saveDraft(form); });
        thumbs.appendChild(img);
      });
    }
    form.addEventListener("draft-restored", draw);
    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files), problems = [], generation = form.generation;
      input.value = "";
      var work = files.map(function (file) {
        if (form.photos.length >= MAX_PHOTOS) { problems.push("最多 " + MAX_PHOTOS + " 张照片。"); return null; }
        if (!/^image\//.test(file.type)) { problems.push("“" + file.name + "”不是图片，请选择照片。"); return null; }
        if (file.size > MAX_ORIGINAL) { problems.push("“" + file.name + "”太大（超过 20 MB），请换一张。"); return null; }
        return compress(file).then(function (url) {
          if (form.generation === generation && form.photos.length < MAX_PHOTOS) form.photos.push(url);
        },
          function () { problems.push("“" + file.name + "”无法读取或压缩后仍太大，请换一张。"); });
      });
      Promise.all(work).then(function () {
        if (form.generation !== generation) return;  // sent or discarded meanwhile: not the next report's
        error.textContent = problems.join(" ");
        draw();
        saveDraft(form);
      });
    });
  }

  // ---- location ---------------------------------------------------------------------------------
  function gps(form) {
    var buttonEl = form.querySelector("[data-gps]");
    if (!buttonEl) return;
    var field = form.querySelector("[data-location]"), status = form.querySelector("[data-gps-status]");
    var clear = form.querySelector("[data-gps-clear]"), region = form.querySelector("[name=region]");
    function show() {
      clear.hidden = !field.value;
      if (field.value) { var p = JSON.parse(field.value); status.textContent = "已定位：纬度 " + p.lat.toFixed(5) + "，经度 " + p.lng.toFixed(5) + "。"; }
      else if (region.value) status.textContent = "已手动选择网格：" + region.selectedOptions[0].textContent + "（不使用手机定位）。";
      else status.textContent = "未定位。没有定位时请在下面选择网格。";
    }
    form.addEventListener("draft-restored", show);
    // A grid chosen by hand replaces the GPS point (the server places a report by its point first).
    region.addEventListener("change", function () {
      if (region.value) field.value = "";
      show();
    });
    clear.addEventListener("click", function () {
      field.value = "";
      show();
      saveDraft(form);
      region.focus();
    });
    buttonEl.addEventListener("click", function () {
      if (!navigator.geolocation) { status.textContent = "手机不支持定位，请选择所在网格。"; return; }
      status.textContent = "正在定位…";
      navigator.geolocation.getCurrentPosition(function (pos) {
        field.value = JSON.stringify({ lat: pos.coords.latitude, lng: pos.coords.longitude });
        region.value = "";
        show();
        saveDraft(form);
      }, function () { status.textContent = "无法定位（未授权或信号弱），请选择所在网格。"; },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }

  function categories(form) {
    var select = form.querySelector("[name=category]");
    var map = form.querySelector("[data-case-kinds]");
    if (!select || !map) return;
    var kinds = {};
    map.dataset.caseKinds.split(",").forEach(function (pair) { var kv = pair.split(":"); kinds[kv[0]] = kv[1]; });
    function filter() {
      var checked = form.querySelector("[name=kind]:checked"), kind = kinds[checked ? checked.value : ""];
      Array.prototype.forEach.call(select.options, function (o) { o.hidden = Boolean(o.dataset.kind) && o.dataset.kind !== kind; });
      if (select.selectedOptions[0] && select.selectedOptions[0].hidden) select.value = "";
    }
    form.addEventListener("change", filter);
    form.addEventListener("draft-restored", filter);
    filter();
  }

  function patrol(form) {
    if (!form.hasAttribute("data-patrol")) return;
    var start = form.querySelector("[data-track-start]"), stop = form.querySelector("[data-track-stop]");
    var status = form.querySelector("[data-track-status]"), route = form.querySelector("[data-route]");
    var watch = null;
    function points() { return route.value ? JSON.parse(route.value) : []; }
    function finish() {
      if (watch !== null) navigator.geolocation.clearWatch(watch);
      watch = null;
      form.querySelector("[data-ended]").value = new Date().toISOString();
      start.disabled = false; stop.disabled = true;
      status.textContent = "巡逻已结束，共记录 " + points().length + " 个位置。";
      saveDraft(form);
    }
    start.addEventListener("click", function () {
      form.querySelector("[data-started]").value = new Date().toISOString();
      route.value = "[]";
      start.disabled = true; stop.disabled = false;
      status.textContent = "巡逻中…";
      if (navigator.geolocation) {
        watch = navigator.geolocation.watchPosition(function (pos) {
          var list = points();
          list.push([Number(pos.coords.latitude.toFixed(6)), Number(pos.coords.longitude.toFixed(6))]);
          route.value = JSON.stringify(list);
          status.textContent = "巡逻中，已记录 " + list.length + " 个位置。";
          saveDraft(form);
        }, function () { status.textContent = "巡逻中（暂时无法定位）。"; }, { enableHighAccuracy: true, maximumAge: 30000 });
      }
      saveDraft(form);
    });
    stop.addEventListener("click", finish);
    form.finishPatrol = function () { if (!form.querySelector("[data-ended]").value) finish(); };
  }

  window.yimenFields = {
    attach: function (form, saver) {
      saveDraft = saver;
      photos(form);
      gps(form);
      categories(form);
      patrol(form);
    }
  };
})();
