// The access report's "Afdrukken" button (no inline script: CSP).
document.querySelectorAll(".js-print").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
