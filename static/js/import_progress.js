// Import job page: poll the JSON status endpoint and move the progress bar until the job ends.
(function () {
  "use strict";

  var box = document.getElementById("import-progress");
  if (!box || box.dataset.finished === "true") return;
  var url = box.dataset.statusUrl;
  var bar = box.querySelector("progress");
  var intervalMs = 1500;

  function setText(name, value) {
    var element = box.querySelector('[data-field="' + name + '"]');
    if (element) element.textContent = value;
  }

  function showErrors(errors) {
    var section = document.getElementById("import-errors");
    if (!section || !errors || !errors.length) return;
    var list = section.querySelector('[data-field="errors"]');
    list.textContent = "";
    errors.slice(0, 200).forEach(function (error) {
      var item = document.createElement("li");
      if (typeof error === "string") {
        item.textContent = error;
      } else {
        item.textContent = (error.row ? "#" + error.row + " " : "") + (error.message || JSON.stringify(error));
      }
      list.appendChild(item);
    });
    section.hidden = false;
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (data) {
        bar.value = data.progress_percent;
        bar.textContent = data.progress_percent + "%";
        setText("processed_rows", data.processed_rows);
        setText("total_rows", data.total_rows);
        if (data.status_display) setText("status_display", data.status_display);
        showErrors(data.errors);
        if (data.is_finished || data.status === "succeeded" || data.status === "failed") {
          // Reload once so the server-rendered summary appears.
          window.location.reload();
          return;
        }
        window.setTimeout(poll, intervalMs);
      })
      .catch(function () {
        window.setTimeout(poll, intervalMs * 4);
      });
  }

  window.setTimeout(poll, intervalMs);
})();
