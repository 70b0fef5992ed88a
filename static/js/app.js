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

  // Long text: a live count next to each textarea with a limit. The limit moves from the
  // maxlength attribute to data-maxlength, so pasted text is never cut silently: the count
  // shows how far over it is and the server refuses it with the same words.
  function characters(text) {
    return Array.from(text.replace(/\r\n/g, "\n")).length;
  }

  document.querySelectorAll("[data-char-count-for]").forEach(function (counter) {
    var field = document.getElementById(counter.dataset.charCountFor);
    if (!field) return;
    var limit = parseInt(field.getAttribute("maxlength") || field.dataset.maxlength, 10);
    if (!limit) return;
    field.dataset.maxlength = String(limit);
    field.removeAttribute("maxlength");
    counter.setAttribute("aria-live", "polite");
    var described = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    if (described.indexOf(counter.id) < 0) described.push(counter.id);
    field.setAttribute("aria-describedby", described.join(" "));
    var invalidFromServer = field.getAttribute("aria-invalid");
    function update() {
      var count = characters(field.value);
      var over = count > limit;
      counter.textContent = (over ? counter.dataset.over : counter.dataset.counting)
        .replace("{count}", String(count))
        .replace("{over}", String(count - limit));
      counter.classList.toggle("over-limit", over);
      if (over) field.setAttribute("aria-invalid", "true");
      else if (invalidFromServer) field.setAttribute("aria-invalid", invalidFromServer);
      else field.removeAttribute("aria-invalid");
    }
    field.addEventListener("input", update);
    update();
  });
})();
