// A field the policy never keeps says so in its help text before anything is typed; as
// soon as something is typed in it, an inline notice repeats it where the eye is.
(function () {
  "use strict";
  document.querySelectorAll("textarea[data-never-kept]").forEach(function (field) {
    var notice = document.createElement("p");
    notice.className = "field-notice utrecht-alert utrecht-alert--warning zrm-small";
    notice.setAttribute("role", "status");
    notice.dataset.testid = "never-kept-notice";
    notice.hidden = true;
    notice.textContent = field.dataset.neverKept;
    field.insertAdjacentElement("afterend", notice);
    function update() {
      notice.hidden = field.value.trim() === "";
    }
    field.addEventListener("input", update);
    update();
  });
})();
