// Fact sheets: shows the "Print / save as PDF" button, which stays hidden without
// JavaScript (the keyboard hint next to it works without, and is hidden once the
// button shows), and prints on a click.
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
  // The button does what the keyboard hint says; one way is enough.
  if (buttons.length) {
    var hints = document.querySelectorAll(".print-hint");
    for (var j = 0; j < hints.length; j++) hints[j].hidden = true;
  }
})();
