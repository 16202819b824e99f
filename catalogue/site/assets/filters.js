/* On a phone the results come first and the facets open from a "Filter (n)" button: any
   `.catalogue-filter-toggle button[aria-controls]` opens and closes the facets it names and
   shows how many of their filters are ticked. */
(function () {
  "use strict";
  document.querySelectorAll(".catalogue-filter-toggle button[aria-controls]").forEach(function (b) {
    var panel = document.getElementById(b.getAttribute("aria-controls"));
    if (!panel) return;
    var count = b.querySelector(".catalogue-filter-count");
    function sync() {
      var n = panel.querySelectorAll('input[type="checkbox"]:checked').length;
      if (count) { count.textContent = n ? "(" + n + ")" : ""; count.setAttribute("data-count", n); }
    }
    b.addEventListener("click", function () {
      var open = b.getAttribute("aria-expanded") !== "true";
      b.setAttribute("aria-expanded", open ? "true" : "false");
      panel.classList.toggle("is-open", open);
      if (open) { var first = panel.querySelector("input, summary"); if (first) first.focus(); }
    });
    panel.addEventListener("change", sync);
    new MutationObserver(sync).observe(panel, { childList: true, subtree: true });
    sync();
  });
})();
