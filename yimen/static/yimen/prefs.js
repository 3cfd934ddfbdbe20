// 适老化: the large-font preference is applied before first paint and toggled from the top bar.
(function () {
  var KEY = "yimen.largeFont";
  var root = document.documentElement;
  if (localStorage.getItem(KEY) === "1") root.classList.add("large-font");
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("font-toggle");
    if (!button) return;
    button.setAttribute("aria-pressed", root.classList.contains("large-font"));
    button.addEventListener("click", function () {
      var on = root.classList.toggle("large-font");
      localStorage.setItem(KEY, on ? "1" : "0");
      button.setAttribute("aria-pressed", on);
    });
  });
})();
