// Fact sheets: shows the "Print / save as PDF" button, which stays hidden without
// JavaScript (the keyboard hint next to it works without), and prints on a click.
// Self-hosted and loaded with `defer` on fact sheets only.
(function () {
  "use strict";
  if (typeof window.print !== "function") return;
  var buttons = document.querySelectorAll("button.print-button");
  for (var i = 0; i < buttons.length; i++) {
    buttons[i].addEventListener("click", function () {
      window.print();
    });
    buttons[i].hidden = false;
  }
})();
