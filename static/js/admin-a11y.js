// Small repairs to Django's admin markup that axe-core reports (no inline script: CSP).
// Runs after the admin's own scripts, which build the selection boxes on "load".
window.addEventListener("load", function () {
  // SelectFilter2 puts aria-label on a plain span: give it the role that allows it.
  document.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (el) {
    el.setAttribute("role", "img");
    // A wide inline table scrolls in its own box: make that box reachable by keyboard.
  document.querySelectorAll(".inline-group").forEach(function (group) {
    if (group.scrollWidth > group.clientWidth && !group.hasAttribute("tabindex")) {
      var heading = group.querySelector("h2");
      group.setAttribute("tabindex", "0");
      group.setAttribute("role", "region");
      group.setAttribute("aria-label", heading ? heading.textContent.trim() : "Tabel");
    }
  });
});
  // A filter choice for an empty value has no text (axes' path filter): name it.
  document.querySelectorAll("#changelist-filter a").forEach(function (link) {
    if (!link.textContent.trim()) {
      link.textContent = "(leeg)";
    }
    // A wide inline table scrolls in its own box: make that box reachable by keyboard.
  document.querySelectorAll(".inline-group").forEach(function (group) {
    if (group.scrollWidth > group.clientWidth && !group.hasAttribute("tabindex")) {
      var heading = group.querySelector("h2");
      group.setAttribute("tabindex", "0");
      group.setAttribute("role", "region");
      group.setAttribute("aria-label", heading ? heading.textContent.trim() : "Tabel");
    }
  });
});
  // A wide inline table scrolls in its own box: make that box reachable by keyboard.
  document.querySelectorAll(".inline-group").forEach(function (group) {
    if (group.scrollWidth > group.clientWidth && !group.hasAttribute("tabindex")) {
      var heading = group.querySelector("h2");
      group.setAttribute("tabindex", "0");
      group.setAttribute("role", "region");
      group.setAttribute("aria-label", heading ? heading.textContent.trim() : "Tabel");
    }
  });
});
