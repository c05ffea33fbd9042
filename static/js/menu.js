// The header's menu button (narrow screens): opens and closes the main menu. Without
// JavaScript the button stays hidden and the menu open (static/css/app.css, .zrm-js).
(function () {
  document.documentElement.classList.add("zrm-js");
  var button = document.querySelector(".zrm-menu-button");
  var menu = document.getElementById("hoofdmenu");
  if (!button || !menu) {
    return;
  }
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    menu.classList.toggle("zrm-menu--open", open);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
      button.setAttribute("aria-expanded", "false");
      menu.classList.remove("zrm-menu--open");
      button.focus();
    }
  });
})();
