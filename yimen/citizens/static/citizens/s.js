// 随手拍 (/s/): ES5 only, for WeChat's browser and old Android. Photos are scaled to ≤1600 px
// and re-encoded as JPEG (quality 0.7) on the phone before upload, as the grid workers' app does.
(function () {
  "use strict";
  var app = document.getElementById("s-app");
  if (!app) { return; }
  var form = document.getElementById("s-form");
  var error = document.getElementById("s-error");
  var location = null;

  function post(url, body, done) {
    var xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("Content-Type", "application/json");
    xhr.onload = function () {
      var data = {};
      try { data = JSON.parse(xhr.responseText); } catch (e) { data = {}; }
      done(xhr.status, data);
    };
    xhr.onerror = function () { done(0, { detail: "网络不通，请稍后再试。" }); };
    xhr.send(JSON.stringify(body));
  }

  function show(data) {
    var parts = [data.detail || "提交失败，请重试。"];
    var errors = data.errors || {};
    for (var k in errors) { if (errors.hasOwnProperty(k)) { parts.push(errors[k].join(" ")); } }
    error.textContent = parts.join(" ");
  }

  function compress(file, done) {
    var reader = new FileReader();
    reader.onload = function () {
      var img = new Image();
      img.onload = function () {
        var scale = Math.min(1, 1600 / Math.max(img.width, img.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(img.width * scale);
        canvas.height = Math.round(img.height * scale);
        canvas.getContext("2d").drawImage(img, 0, 0, canvas.width, canvas.height);
        done(canvas.toDataURL("image/jpeg", 0.7));
      };
      img.onerror = function () { done(null); };
      img.src = reader.result;
    };
    reader.readAsDataURL(file);
  }

  function photos(done) {
    var files = Array.prototype.slice.call(document.getElementById("s-photos").files || [], 0, 3);
    var out = [];
    var next = function (i) {
      if (i >= files.length) { done(out); return; }
      compress(files[i], function (url) { if (url) { out.push(url); } next(i + 1); });
    };
    next(0);
  }

  document.getElementById("s-send").addEventListener("click", function () {
    error.textContent = "";
    post(app.getAttribute("data-verify"), { phone: form.phone.value }, function (status, data) {
      if (status === 200) { error.textContent = "验证码已发送，请查收短信。"; } else { show(data); }
    });
  });

  document.getElementById("s-gps").addEventListener("click", function () {
    var state = document.getElementById("s-gps-state");
    if (!navigator.geolocation) { state.textContent = "本机不支持定位，请选择村（社区）。"; return; }
    state.textContent = "定位中…";
    navigator.geolocation.getCurrentPosition(function (p) {
      location = { lat: p.coords.latitude, lng: p.coords.longitude };
      state.textContent = "已定位";
    }, function () { state.textContent = "定位失败，请选择村（社区）。"; }, { timeout: 10000 });
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    error.textContent = "";
    var button = document.getElementById("s-submit");
    button.disabled = true;
    photos(function (list) {
      var body = { phone: form.phone.value, code: form.code.value, text: form.text.value, photos: list };
      if (location) { body.location = location; }
      if (form.region.value) { body.region = form.region.value; }
      post(app.getAttribute("data-reports"), body, function (status, data) {
        button.disabled = false;
        if (status === 201) { window.location.href = "/s/r/" + data.public_token + "/"; } else { show(data); }
      });
    });
  });
})();
