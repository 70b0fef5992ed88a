// Small enhancements for every page. The pages work without JavaScript; this only adds comfort.
(function () {
  "use strict";

  // Buttons with data-confirm ask before submitting their form.
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });

  // Close the phone menu after choosing a link.
  document.addEventListener("click", function (event) {
    var toggle = document.getElementById("nav-toggle");
    if (toggle && toggle.checked && event.target.closest(".nav-links a")) {
      toggle.checked = false;
    }
  });
})();
