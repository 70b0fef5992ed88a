// Guided need and capability forms: show only the service categories of the chosen domain(s).
// The server checks the same rule, so this is a convenience, not a guard.
(function () {
  "use strict";

  function chosenDomains(form) {
    var ids = new Set();
    form.querySelectorAll('select[name="domain"]').forEach(function (select) {
      if (select.value) ids.add(select.value);
    });
    form.querySelectorAll('input[name="domains"]:checked').forEach(function (box) {
      ids.add(box.value);
    });
    return ids;
  }

  // On first load a ticked category stays visible even if it does not match, so the error the
  // server put next to the field still matches what the user sees; later changes untick it.
  function refresh(form, hint, firstLoad) {
    var ids = chosenDomains(form);
    var groups = new Set();
    form.querySelectorAll('input[name="categories"][data-domain]').forEach(function (input) {
      var shown = ids.has(input.dataset.domain) || (firstLoad && input.checked);
      var option = input.closest("div");
      option.hidden = !shown;
      if (!shown) input.checked = false;
      if (option.parentElement) groups.add(option.parentElement);
    });
    groups.forEach(function (group) {
      var visible = group.querySelector(":scope > div:not([hidden])");
      if (group.id !== "id_categories") group.hidden = !visible;
    });
    if (hint) hint.hidden = ids.size > 0;
  }

  document.querySelectorAll("form[data-category-filter]").forEach(function (form) {
    var list = form.querySelector("#id_categories");
    if (!list) return;
    var hint = null;
    if (form.dataset.categoryHint) {
      hint = document.createElement("small");
      hint.className = "field-help";
      hint.textContent = form.dataset.categoryHint;
      list.parentElement.insertBefore(hint, list);
    }
    refresh(form, hint, true);
    form.addEventListener("change", function (event) {
      if (event.target.name === "domain" || event.target.name === "domains") {
        refresh(form, hint, false);
      }
    });
  });
})();
