// 一门 网格工作 (/m/): offline first. Every form is kept as a draft in IndexedDB (Dexie) as it is
// typed; a submitted form goes to the outbox with a client-made Idempotency-Key and is sent to
// the JSON API when there is a connection (on load, on the online event, and retried with
// backoff). The server makes one record per key, so a retried send never duplicates.
(function () {
  "use strict";
  var body = document.body;
  var USER = body.dataset.user;
  var LABELS = { title: "标题", description: "情况描述", party_name: "当事人", region: "所在网格", location: "位置",
    photos: "照片", category: "事项类别", kind: "类别", text: "情况记录", happened_on: "日期", follow_up: "后续事项",
    follow_up_due: "跟进日期", person: "对象", results: "检查项", place: "点位", team: "巡防队", ended_at: "结束时间",
    route: "轨迹", note: "说明", household: "户", message: "警情" };
  var db = new Dexie("yimen-m");
  db.version(1).stores({ outbox: "key, user, state, created", drafts: "id", sent: "key, user, sentAt" });

  // A phone handed to another worker must not show the last one's pages offline.
  if (localStorage.getItem("yimen.m.user") !== USER) {
    localStorage.setItem("yimen.m.user", USER);
    if (navigator.serviceWorker && navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage("forget");
  }
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(body.dataset.sw, { scope: body.dataset.scope }).catch(function () {});
  }

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    var h = Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  var flashBox = document.getElementById("flash");
  function flash(text, kind) {
    flashBox.textContent = text;
    flashBox.className = "m-flash m-flash-" + (kind || "info");
    flashBox.hidden = false;
  }

  // ---- drafts: nothing typed is lost when the page is closed -------------------------------
  function draftId(form) { return USER + ":" + form.dataset.draft; }
  function fields(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "file" && el.type !== "submit";
    });
  }
  function saveDraft(form) {
    var values = {};
    fields(form).forEach(function (el) {
      if (el.type === "radio") { if (el.checked) values[el.name] = el.value; }
      else if (el.type === "checkbox") values[el.name] = el.checked;
      else values[el.name] = el.value;
    });
    return db.drafts.put({ id: draftId(form), values: values, photos: form.photos || [], problem: form.problem || "", saved: Date.now() });
  }
  function restoreDraft(form) {
    return db.drafts.get(draftId(form)).then(function (draft) {
      if (!draft) return;
      fields(form).forEach(function (el) {
        if (!(el.name in draft.values)) return;
        var value = draft.values[el.name];
        if (el.type === "radio") el.checked = el.value === value;
        else if (el.type === "checkbox") el.checked = value;
        else if (el.type !== "hidden" || el.name === "location" || el.name === "route" || /_at$/.test(el.name)) el.value = value;
      });
      form.photos = draft.photos || [];
      form.dispatchEvent(new Event("draft-restored"));
      if (draft.problem) {
        showError(form, draft.problem);
        flash("上一条未被接受，已放回表单：请按表单中的提示修改后重新提交，或放弃这条。", "warn");
      }
    });
  }

  // ---- a refusal is shown where the worker is: beside the submit button, scrolled to and focused
  function errorBox(form) {
    var found = form.querySelector("[data-form-error]");
    if (found) return found;
    var box = document.createElement("div");
    box.className = "m-form-error";
    box.setAttribute("data-form-error", "");
    box.setAttribute("role", "alert");
    box.tabIndex = -1;
    box.hidden = true;
    box.appendChild(document.createElement("p"));
    var submit = form.querySelector("button:not([type=button])");
    form.insertBefore(box, submit);
    return box;
  }
  function showError(form, message) {
    var box = errorBox(form);
    form.problem = message;
    box.firstChild.textContent = message;
    var discard = box.querySelector("button");
    if (discard) discard.remove();
    if (form.dataset.outbox) box.appendChild(button("放弃这条，清空表单", "btn-outline-secondary", function () { clearForm(form); }));
    box.hidden = false;
    box.scrollIntoView({ block: "center" });
    box.focus({ preventScroll: true });
  }
  function hideError(form) {
    form.problem = "";
    var box = form.querySelector("[data-form-error]");
    if (box) box.hidden = true;
  }
  // A sent or discarded form starts empty: no draft save still pending, no photo still being
  // compressed (its generation is over), no error, no location.
  function emptyForm(form) {
    clearTimeout(form.pendingDraft);
    form.generation += 1;
    form.reset();
    form.photos = [];
    hideError(form);
    form.dispatchEvent(new Event("draft-restored"));
  }
  function clearForm(form) {
    emptyForm(form);
    return db.drafts.delete(draftId(form)).then(function () { flash("已放弃这条，表单已清空。", "info"); });
  }

  function collect(form) {
    var out = {};
    fields(form).forEach(function (el) {
      if (el.type === "radio" && !el.checked) return;
      var value = el.type === "checkbox" ? el.checked : el.value;
      if (el.hasAttribute("data-optional") && value === "") return;
      if ((el.hasAttribute("data-location") || el.hasAttribute("data-route")) && !value) return;
      if (el.hasAttribute("data-int") && value !== "") value = parseInt(value, 10);
      if (el.hasAttribute("data-location") || el.hasAttribute("data-route")) value = JSON.parse(value);
      if (el.name.indexOf("results.") === 0) { out.results = out.results || []; out.results.push({ item: el.name.slice(8), result: value }); return; }
      out[el.name] = value;
    });
    if (form.photos && form.photos.length) out.photos = form.photos.slice();
    return out;
  }

  // ---- the outbox ----------------------------------------------------------------------------
  function enqueue(form, payload) {
    var item = { key: uuid(), user: USER, url: form.dataset.url, body: payload, label: form.dataset.label,
      form: form.dataset.draft, page: location.pathname, created: Date.now(), attempts: 0, next: 0, state: "pending" };
    clearTimeout(form.pendingDraft);
    form.generation += 1;  // a photo still compressing belongs to this report, not the next
    return db.outbox.put(item).then(function () { return db.drafts.delete(draftId(form)); }).then(function () {
      emptyForm(form);
      flash(navigator.onLine ? "已保存，正在发送…" : "已保存在手机上，联网后自动发送。", "info");
      render();
      sync(true);
    });
  }

  function describe(status, data) {
    data = data || {};
    if (status === 404) return "该户、点位或网格不在您负责的范围内（可能已调整），无法提交。";
    if (data.code === "idempotency_key_reused") return "这条内容与此前发送的不一致，已暂停发送。请核对后重新提交。";
    var parts = [data.detail || "提交未被接受。"];
    Object.keys(data.errors || {}).forEach(function (field) {
      parts.push((LABELS[field.split(".")[0]] || field) + "：" + data.errors[field].join(""));
    });
    return parts.join(" ");
  }

  function summary(item, data) {
    if (data && data.case) return item.label + "：已登记为案件 " + data.case.code + "（" + data.case.state_label + "）";
    if (data && data.state_label) return item.label + "：" + data.state_label;
    return item.label + "：已保存";
  }

  var needLogin = false;
  function token() {
    return fetch(body.dataset.tokenUrl, { credentials: "same-origin", redirect: "manual", headers: { Accept: "application/json" } })
      .then(function (r) {
        if (r.type === "opaqueredirect" || r.status === 401 || r.status === 403 || r.status === 302) {
          needLogin = true;
          throw new Error("login");
        }
        if (!r.ok) throw new Error("token");
        needLogin = false;
        return r.json();
      }).then(function (data) { return data.csrf; });
  }

  // What one round of sending came to, so that the status line says it (never "正在发送…" left over).
  var outcome = null;
  function send(item, csrf) {
    return fetch(item.url, {
      method: "POST", credentials: "same-origin", redirect: "manual",
      headers: { "Content-Type": "application/json", Accept: "application/json", "Idempotency-Key": item.key, "X-CSRFToken": csrf },
      body: JSON.stringify(item.body)
    }).then(function (r) {
      return r.json().catch(function () { return null; }).then(function (data) { return { status: r.status, data: data }; });
    }).then(function (answer) {
      if (answer.status === 200 || answer.status === 201) {
        return db.outbox.delete(item.key).then(function () {
          var text = summary(item, answer.data);
          flash(text, "ok");
          shown(item);
          return db.sent.put({ key: item.key, user: USER, text: text, sentAt: Date.now() });
        });
      }
      if (answer.data && [403, 404, 409, 422].indexOf(answer.status) >= 0) {
        var message = describe(answer.status, answer.data);
        outcome.problems.push({ item: item, message: message });
        return db.outbox.update(item.key, { state: "problem", message: message });
      }
      return later(item);
    }, function () { return later(item); });
  }

  function later(item) {
    if (outcome) outcome.later += 1;
    var wait = Math.min(300000, 2000 * Math.pow(2, item.attempts)) * (0.75 + Math.random() / 2);
    return db.outbox.update(item.key, { attempts: item.attempts + 1, next: Date.now() + wait });
  }

  var syncing = null, timer = null;
  function sync(force) {
    if (syncing) return syncing;
    if (!navigator.onLine) { render(); return Promise.resolve(); }
    syncing = db.outbox.where("user").equals(USER).toArray().then(function (items) {
      var due = items.filter(function (i) { return i.state === "pending" && (force || i.next <= Date.now()); });
      if (!due.length) return null;
      outcome = { due: due.length, later: 0, problems: [] };
      return token().then(function (csrf) {
        return due.reduce(function (chain, item) { return chain.then(function () { return send(item, csrf); }); }, Promise.resolve());
      }, function () { outcome.later = due.length; });
    }).catch(function () { return null; }).then(function () {
      syncing = null;
      var done = outcome;
      outcome = null;
      if (needLogin) flash("登录已过期：请重新登录，待发送的内容仍保存在手机上，登录后自动发送。", "warn");
      else if (done && done.problems.length) return refused(done.problems);
      else if (done && done.later) flash("暂时发不出去（网络或服务器没有应答）：内容仍保存在手机上，会自动重试；也可稍后点“立即发送”。", "warn");
      return render();
    }).then(schedule);
    return syncing;
  }
  window.yimenSync = sync;

  function schedule() {
    clearTimeout(timer);
    return db.outbox.where("user").equals(USER).toArray().then(function (items) {
      var next = items.filter(function (i) { return i.state === "pending"; }).map(function (i) { return i.next; });
      if (next.length) timer = setTimeout(sync, Math.max(1000, Math.min.apply(null, next) - Date.now()));
    });
  }

  function refused(problems) {
    var first = problems[0], form = document.querySelector("form[data-draft='" + first.item.form + "']");
    var here = form && first.item.page === location.pathname;
    return (here ? db.drafts.get(draftId(form)) : Promise.resolve(true)).then(function (typing) {
      if (here && !typing && problems.length === 1) return reopen(first.item, first.message);
      flash("有 " + problems.length + " 条未被接受：" + first.message + " 请在上方待发送列表中点“核对后重新填写”，或放弃。", "warn");
      return render().then(function () { box.scrollIntoView({ block: "start" }); });
    });
  }

  var box = document.getElementById("outbox"), list = document.getElementById("outbox-list");
  function render() {
    var net = document.getElementById("net-status");
    net.textContent = navigator.onLine ? "在线" : "离线";
    net.classList.toggle("m-offline", !navigator.onLine);
    return db.outbox.where("user").equals(USER).sortBy("created").then(function (items) {
      box.hidden = !items.length;
      document.getElementById("outbox-count").textContent = items.length;
      list.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        var title = document.createElement("strong");
        title.textContent = item.label + " · " + new Date(item.created).toLocaleString("zh-CN", { hour12: false });
        li.appendChild(title);
        var state = document.createElement("div");
        state.className = item.state === "problem" ? "text-danger" : "text-secondary";
        state.textContent = item.state === "problem" ? item.message : (item.attempts ? "等待重试（第 " + item.attempts + " 次未成功）" : "等待发送");
        li.appendChild(state);
        if (item.state === "problem") {
          li.appendChild(button("核对后重新填写", "btn-outline-primary", function () { reopen(item); }));
          li.appendChild(button("放弃这条", "btn-outline-secondary", function () {
            if (confirm("放弃后这条内容将被删除，确定吗？")) db.outbox.delete(item.key).then(function () {
              flash("已放弃这条。", "info");
              return render();
            });
          }));
        }
        list.appendChild(li);
      });
    });
  }
  function button(text, style, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "btn btn-sm me-2 mt-1 " + style;
    b.textContent = text;
    b.addEventListener("click", onClick);
    return b;
  }
  // Put a refused item back into its form as a draft, on a freshly loaded page (new version),
  // with the reason shown beside its submit button.
  function reopen(item, message) {
    var values = {};
    Object.keys(item.body).forEach(function (k) {
      if (k === "results") item.body.results.forEach(function (r) { values["results." + r.item] = r.result; });
      else if (k !== "photos" && k !== "household_version") values[k] = typeof item.body[k] === "object" ? JSON.stringify(item.body[k]) : String(item.body[k]);
    });
    var problem = message || item.message || "";
    return db.drafts.put({ id: USER + ":" + item.form, values: values, photos: item.body.photos || [], problem: problem, saved: Date.now() })
      .then(function () { return db.outbox.delete(item.key); })
      .then(function () { location.href = item.page; });
  }

  // A record the server has just saved shows on the page that lists them (a visit in 民情档案).
  var KIND_LABELS = { visit: "走访", note: "民情记录" };
  function shown(item) {
    var target = document.querySelector("[data-shows='" + item.form + "']");
    if (!target || item.page !== location.pathname) return;
    var empty = target.querySelector("[data-empty]");
    if (empty) empty.remove();
    var li = document.createElement("li"), span = document.createElement("span"), small = document.createElement("small");
    span.textContent = item.body.text;
    small.textContent = [item.body.happened_on, KIND_LABELS[item.body.kind] || "", body.dataset.name].join(" · ");
    span.appendChild(small);
    li.appendChild(span);
    target.insertBefore(li, target.firstChild);
  }
  document.getElementById("outbox-sync").addEventListener("click", function () { sync(true); });
  window.addEventListener("online", function () { sync(true); });
  window.addEventListener("offline", render);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) sync(); });

  function check(form, payload) {
    if (form.dataset.outbox === "report" && !payload.location && !payload.region) return "请获取手机定位，或选择所在网格。";
    if (form.dataset.outbox === "report" && !payload.title.trim()) return "请填写标题。";
    if (form.dataset.outbox === "report" && payload.kind === "dispute" && !payload.party_name.trim()) return "矛盾纠纷请填写当事人。";
    if (form.dataset.outbox === "visit" && !payload.text.trim()) return "请填写情况记录。";
    if (form.dataset.outbox === "patrol" && !payload.started_at) return "请先点“开始巡逻”。";
    return "";
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-outbox]"), function (form) {
    form.generation = 0;
    function later() { clearTimeout(form.pendingDraft); form.pendingDraft = setTimeout(function () { saveDraft(form); }, 250); }
    form.addEventListener("input", later);
    form.addEventListener("change", later);
    window.yimenFields.attach(form, saveDraft);
    restoreDraft(form);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (form.finishPatrol) form.finishPatrol();
      var payload = collect(form), problem = check(form, payload);
      if (problem) { showError(form, problem); return; }
      enqueue(form, payload);
    });
  });

  // ---- online-only actions: the 十户联防 alarm, acknowledgements, verifying a report ------------
  function post(url, payload) {
    if (!navigator.onLine) return Promise.reject(new Error("offline"));
    return token().then(function (csrf) {
      return fetch(url, { method: "POST", credentials: "same-origin", headers: { "Content-Type": "application/json",
        Accept: "application/json", "X-CSRFToken": csrf }, body: payload ? JSON.stringify(payload) : null });
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (data) {
        if (!r.ok) throw { status: r.status, data: data };
        return data;
      });
    });
  }
  // Said where the worker is: beside the form's button, or for a lone button the status line
  // brought into view and focused.
  function failed(error, form, message) {
    var text = message || (error && error.status ? describe(error.status, error.data) : "当前没有网络，无法发送。紧急情况请直接打电话或拨打 110。");
    if (form) { showError(form, text); return; }
    flash(text, "warn");
    flashBox.scrollIntoView({ block: "center" });
    flashBox.focus({ preventScroll: true });
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-alert]"), function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var payload = collect(form);
      if (!payload.message.trim()) { showError(form, "请填写警情。"); return; }
      post(form.dataset.url, payload).then(function () { location.reload(); }, function (e) { failed(e, form); });
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-ack], [data-register]"), function (el) {
    el.addEventListener("click", function () {
      el.disabled = true;
      post(el.dataset.ack || el.dataset.register).then(function () { location.reload(); }, function (e) { el.disabled = false; failed(e); });
    });
  });

  // 报到 (吹哨报到): online only, like the alarm — the server stamps the arrival time, so a
  // queued arrival sent later would be recorded late. The position goes along when the phone
  // gives it within a few seconds; without it the arrival goes without one.
  Array.prototype.forEach.call(document.querySelectorAll("[data-arrive]"), function (el) {
    el.addEventListener("click", function () {
      if (!navigator.onLine) { failed(null, null, "报到需要联网：请到有信号的地方再点“报到”。"); return; }
      el.disabled = true;
      var go = function (where) {
        post(el.dataset.arrive, { location: where }).then(function () { location.reload(); },
          function (e) { el.disabled = false; failed(e); });
      };
      if (!navigator.geolocation) { go(null); return; }
      navigator.geolocation.getCurrentPosition(function (pos) {
        go({ lat: +pos.coords.latitude.toFixed(6), lng: +pos.coords.longitude.toFixed(6) });
      }, function () { go(null); }, { enableHighAccuracy: true, timeout: 8000, maximumAge: 60000 });
    });
  });

  // 退出: a page kept offline may hold a stale CSRF token, so a fresh one is fetched first; the
  // pages this worker kept offline are forgotten, the outbox stays (it is per worker, sent at the
  // next login).
  Array.prototype.forEach.call(document.querySelectorAll("form[data-logout]"), function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!navigator.onLine) { flash("退出需要联网：请到有信号的地方再退出。", "warn"); return; }
      db.outbox.where("user").equals(USER).count().then(function (waiting) {
        if (waiting && !confirm("还有 " + waiting + " 条待发送，退出后保存在手机上，下次登录时发送。确定退出吗？")) return;
        return token().then(function (csrf) {
          form.querySelector("[name=csrfmiddlewaretoken]").value = csrf;
          if (navigator.serviceWorker && navigator.serviceWorker.controller) navigator.serviceWorker.controller.postMessage("forget");
          form.submit();
        }, function () { location.href = body.dataset.loginUrl; });
      });
    });
  });

  render().then(function () { return sync(true); });
})();
