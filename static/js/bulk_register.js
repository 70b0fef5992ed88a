// Bulk registration: narrow the list of organisations by name and kind, and count the ticked
// ones. Without JavaScript the whole list shows and the form works the same.
(function () {
  "use strict";
  var form = document.querySelector("form.bulk-register");
  if (!form) return;
  var filter = form.querySelector("[data-bulk-filter]");
  var search = form.querySelector("#bulk-search");
  var kind = form.querySelector("#bulk-kind");
  var count = form.querySelector("[data-bulk-count]");
  var rows = Array.prototype.slice.call(form.querySelectorAll(".bulk-row"));
  filter.hidden = false;

  function narrow() {
    var words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    rows.forEach(function (row) {
      var name = row.dataset.name.toLowerCase();
      var shown = (!kind.value || row.dataset.kind === kind.value) &&
        words.every(function (word) { return name.indexOf(word) >= 0; });
      row.hidden = !shown;
    });
  }

  function recount() {
    var ticked = form.querySelectorAll('input[name="organizations"]:checked').length;
    count.textContent = count.dataset.template.replace("{count}", String(ticked));
  }

  search.addEventListener("input", narrow);
  kind.addEventListener("change", narrow);
  form.addEventListener("change", recount);
  narrow();
  recount();
})();
