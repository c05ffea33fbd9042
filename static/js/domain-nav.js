// Keep the domain navigation's progress in step with the form: per domain whether it is
// scored and what its help need is, as the caseworker fills it in (the server renders the
// same text on every load, so without this script the navigation is only a page old).
(function () {
  "use strict";
  var form = document.getElementById("assessment-form");
  if (!form) {
    return;
  }
  function state(code) {
    var fieldset = document.getElementById("domein-" + code);
    var score = fieldset && fieldset.querySelector("input[name='" + code + "-score']:checked");
    var need = fieldset && fieldset.querySelector("select[name='" + code + "-help_need']");
    if (!score || score.value === "") {
      return "niet besproken";
    }
    if (need && need.value === "confirmed") {
      return "gescoord · hulpvraag";
    }
    if (need && need.value === "unknown") {
      return "gescoord · hulpvraag nog onbekend";
    }
    return "gescoord";
  }
  form.addEventListener("change", function (event) {
    var fieldset = event.target.closest("fieldset[id^='domein-']");
    if (!fieldset) {
      return;
    }
    var code = fieldset.id.slice("domein-".length);
    var item = form.querySelector(".domain-nav li[data-domain='" + code + "'] [data-state]");
    if (item) {
      item.textContent = state(code);
    }
  });
})();
