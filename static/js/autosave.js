// Autosave of the assessment form: while it has unsaved changes, every 30 seconds and when
// the session warning opens, the form is posted to the server's autosave view, which saves
// it through the same service as the Save button (same rules, version check and audit).
// Nothing is kept in the browser. Leaving the page with unsaved changes asks first.
(function () {
  "use strict";
  var form = document.getElementById("assessment-form");
  if (!form || !form.dataset.autosaveUrl) {
    return;
  }
  var INTERVAL = Number(form.dataset.autosaveInterval || 30) * 1000;
  var status = form.querySelector("[data-save-status]");
  var version = form.querySelector("input[name=version]");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]");
  var changes = 0; // edits since the page loaded
  var savedAt = 0; // the edit count the server has
  var saving = false;
  var stopped = false;
  var submitting = false;

  function dirty() {
    return changes !== savedAt;
  }

  function say(text) {
    if (status) {
      status.textContent = text;
    }
  }

  function save() {
    if (!dirty() || saving || stopped || submitting) {
      return;
    }
    saving = true;
    var upTo = changes;
    var data = new FormData(form);
    fetch(form.dataset.autosaveUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": token ? token.value : "", "X-ZRM-Script": "1" },
    })
      .then(function (response) {
        return response.json().then(function (body) {
          if (response.ok) {
            version.value = body.version;
            savedAt = upTo;
            say(dirty() ? "Niet-opgeslagen wijzigingen." : "Automatisch opgeslagen om " + body.saved_at + ".");
            document.dispatchEvent(
              new CustomEvent("zrm:session-extended", { detail: { secondsLeft: body.seconds_left } })
            );
          } else if (response.status === 401) {
            stopped = true;
            if (body.parked) {
              savedAt = upTo; // kept on the server; applied after signing in again
              say("Uw sessie is verlopen. Uw wijzigingen zijn op de server bewaard en worden opgeslagen zodra u zich opnieuw aanmeldt.");
            } else {
              say("Uw sessie is verlopen. Uw wijzigingen zijn niet opgeslagen.");
            }
          } else if (body.outcome === "conflict") {
            stopped = true;
            say("Niet automatisch opgeslagen: iemand anders heeft deze intake intussen opgeslagen. Klik op Opslaan om de verschillen te zien; uw invoer blijft staan.");
          } else if (body.outcome === "finalised") {
            stopped = true;
            say("Niet opgeslagen: deze intake is intussen afgerond.");
          } else {
            say("Niet automatisch opgeslagen: een veld is niet goed ingevuld. Klik op Opslaan om te zien welk.");
          }
        });
      })
      .catch(function () {
        say("Niet automatisch opgeslagen: geen verbinding. Uw invoer staat er nog; we proberen het zo opnieuw.");
      })
      .finally(function () {
        saving = false;
      });
  }

  function changed() {
    changes += 1;
    say("Niet-opgeslagen wijzigingen.");
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function () {
    submitting = true; // the submit itself saves: no warning on leaving, no autosave now
  });
  window.setInterval(save, INTERVAL);
  document.addEventListener("zrm:session-warning", save);
  document.addEventListener("zrm:autosave-now", save);
  window.addEventListener("beforeunload", function (event) {
    if (dirty() && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
