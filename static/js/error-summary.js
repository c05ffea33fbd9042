// Move focus to the error summary at the top of a form page that came back with errors
// (GOV.UK / NL Design System pattern), so a screen reader announces it first; its links
// put focus in the field they name.
(function () {
  "use strict";
  var summary = document.getElementById("foutoverzicht");
  if (!summary) {
    return;
  }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (field) {
      event.preventDefault();
      field.scrollIntoView({ block: "center" });
      field.focus();
    }
  });
})();
