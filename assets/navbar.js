/* The navbar's menus (layouts/components.py: <details class="eb-nav-dropdown">) open by themselves;
   here they close again — on a choice, a click anywhere else, or Escape — and only one is open. */
(function () {
  "use strict";
  function closeAll(except) {
    document.querySelectorAll("details.eb-nav-dropdown[open]").forEach(function (menu) {
      if (menu !== except) menu.removeAttribute("open");
    });
  }
  document.addEventListener("click", function (event) {
    var menu = event.target.closest && event.target.closest("details.eb-nav-dropdown");
    var chosen = event.target.closest && event.target.closest(".dropdown-item");
    closeAll(chosen ? null : menu);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") closeAll(null);
  });
})();
