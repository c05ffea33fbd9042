// The session warning (WCAG 2.2.1): before the idle limit a dialog offers "Blijf aangemeld",
// which asks the server to restart the idle clock. The server's clock decides; this script
// only counts down from what the page was told (data-seconds-left) and from what each later
// request of ours answers (the "zrm:session-extended" event, sent by autosave.js too).
// Before the end it sends "zrm:session-warning", so a form with unsaved changes saves them.
(function () {
  "use strict";
  var dialog = document.getElementById("session-warning");
  if (!dialog) {
    return;
  }
  var warnBefore = Number(dialog.dataset.warnBefore) * 1000;
  var deadline = Date.now() + Number(dialog.dataset.secondsLeft) * 1000;
  var warned = false;
  var expired = false;
  var countdown = dialog.querySelector("[data-countdown]");

  function open() {
    if (!dialog.open) {
      if (typeof dialog.showModal === "function") {
        dialog.showModal();
      } else {
        dialog.setAttribute("open", "");
      }
    }
  }

  function close() {
    if (dialog.open) {
      if (typeof dialog.close === "function") {
        dialog.close();
      } else {
        dialog.removeAttribute("open");
      }
    }
  }

  function say(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    if (seconds >= 90) {
      return Math.round(seconds / 60) + " minuten";
    }
    if (seconds >= 60) {
      return "1 minuut";
    }
    return seconds + (seconds === 1 ? " seconde" : " seconden");
  }

  function showExpired() {
    expired = true;
    dialog.querySelector("[data-expiring]").hidden = true;
    dialog.querySelector("[data-expired]").hidden = false;
    dialog.querySelector("[data-keep-alive]").hidden = true;
    var signIn = dialog.querySelector("[data-sign-in]");
    signIn.hidden = false;
    signIn.href = dialog.dataset.loginUrl + "?next=" + encodeURIComponent(location.pathname);
    open();
    document.dispatchEvent(new CustomEvent("zrm:session-expired"));
  }

  function extend(secondsLeft) {
    deadline = Date.now() + secondsLeft * 1000;
    warned = false;
    close();
  }

  function tick() {
    if (expired) {
      return;
    }
    var left = deadline - Date.now();
    if (left <= 0) {
      showExpired();
      return;
    }
    if (left <= warnBefore) {
      countdown.textContent = say(left);
      if (!warned) {
        warned = true;
        open();
        document.dispatchEvent(new CustomEvent("zrm:session-warning"));
      }
    }
  }

  dialog.querySelector("[data-keep-alive]").addEventListener("click", function () {
    fetch(dialog.dataset.keepAliveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": dialog.dataset.csrf, "X-ZRM-Script": "1" },
    })
      .then(function (response) {
        if (!response.ok || response.redirected) {
          showExpired(); // 401 from the session clock, or sent to the sign-in page
          return;
        }
        return response.json().then(function (body) {
          extend(body.seconds_left);
        });
      })
      .catch(function () {
        countdown.textContent = say(deadline - Date.now()) + " (geen verbinding)";
      });
  });
  // Escape closes a modal dialog; the clock keeps running and warns again at the end.
  dialog.addEventListener("cancel", function (event) {
    if (expired) {
      event.preventDefault();
    }
  });
  document.addEventListener("zrm:session-extended", function (event) {
    extend(event.detail.secondsLeft);
  });
  window.setInterval(tick, 1000);
  tick();
})();
