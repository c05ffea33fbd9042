// Disable a form's submit buttons once it is sent, so a double click sends it once.
// The server is safe against a resend anyway (tokens, optimistic locking).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset.sent === "1") {
    event.preventDefault();
    return;
  }
  form.dataset.sent = "1";
});
