// The desk's "选用" buttons set the category select; the clerk still decides and registers.
(function () {
  if (window.smartIntake) return;
  window.smartIntake = true;
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-smart-category]");
    if (!button) return;
    var select = document.getElementById("id_category");
    if (!select) return;
    select.value = button.getAttribute("data-smart-category");
    select.dispatchEvent(new Event("change", { bubbles: true }));
  });
})();
