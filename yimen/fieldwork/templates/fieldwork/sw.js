// 一门 网格工作: the service worker of /m/. Workbox is loaded from our own static files
// (modulePathCb), never a CDN. Pages: network first, the last copy when offline; static files:
// precached by content revision. Writes never pass through here: m.js keeps them in its outbox.
importScripts({{ workbox_sw|safe }});
var CONFIG = {{ config|safe }};
workbox.setConfig({ debug: false, modulePathCb: function (name) { return CONFIG.modules[name]; } });
workbox.core.setCacheNameDetails({ prefix: "yimen-m" });
self.skipWaiting();
workbox.core.clientsClaim();

var PAGES = "yimen-m-pages";
// Only a real page: never a redirect to the login page or an error.
var pageOnly = {
  cacheWillUpdate: function (args) {
    var r = args.response;
    return Promise.resolve(r && r.status === 200 && r.type === "basic" && !r.redirected ? r : null);
  }
};

workbox.precaching.precacheAndRoute(CONFIG.precache);
workbox.routing.registerRoute(
  function (ctx) { return ctx.request.mode === "navigate" && ctx.url.pathname.indexOf(CONFIG.home) === 0; },
  new workbox.strategies.NetworkFirst({
    cacheName: PAGES, networkTimeoutSeconds: 5, plugins: [pageOnly], matchOptions: { ignoreVary: true }
  })
);
workbox.routing.registerRoute(
  function (ctx) { return ctx.url.origin === self.location.origin && ctx.url.pathname.indexOf(CONFIG.static) === 0; },
  new workbox.strategies.CacheFirst({ cacheName: "yimen-m-static", plugins: [pageOnly] })
);
workbox.routing.setCatchHandler(function (ctx) {
  if (ctx.request.mode !== "navigate") return Promise.resolve(Response.error());
  return caches.open(PAGES).then(function (cache) {
    return cache.match(CONFIG.home, { ignoreVary: true, ignoreSearch: true });
  }).then(function (found) { return found || Response.error(); });
});

// Warm the pages the worker needs first, so the app opens offline even if they were never visited.
self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(PAGES).then(function (cache) {
    return Promise.all(CONFIG.pages.map(function (url) {
      return fetch(url, { credentials: "same-origin", redirect: "manual" }).then(function (r) {
        return r.status === 200 && !r.redirected ? cache.put(url, r) : null;
      }).catch(function () { return null; });
    }));
  }));
});

self.addEventListener("message", function (event) {
  if (event.data === "forget") event.waitUntil(caches.delete(PAGES));
});
