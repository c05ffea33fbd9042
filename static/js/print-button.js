// The print buttons of the access report and the resident's profile (no inline script: CSP).
document.querySelectorAll(".js-print").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
