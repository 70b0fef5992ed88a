// The need form's reading: as the institution types the title and description, ask the server
// what the text is about (keywords only) and show it as suggestions. "应用这些建议" fills in the
// domain, categories and product class, never silently: the institution clicks it and saves.
// Without JavaScript the same buttons submit the form, and the server shows it again unsaved.
(function () {
  "use strict";

  function debounce(fn, wait) {
    var timer = null;
    return function () {
      clearTimeout(timer);
      timer = setTimeout(fn, wait);
    };
  }

  function setup(box) {
    var form = box.closest("form");
    var result = box.querySelector("#need-reading-result");
    var readButton = box.querySelector("[data-read-button]");
    var latest = null;
    var asked = 0;

    function value(name) {
      var field = form.querySelector('[name="' + name + '"]');
      if (!field) return "";
      if (field.type === "radio" || field.type === "checkbox") {
        var checked = form.querySelectorAll('[name="' + name + '"]:checked');
        return Array.prototype.map.call(checked, function (input) { return input.value; });
      }
      return field.value;
    }

    function query() {
      var params = new URLSearchParams();
      ["title", "description", "domain", "region", "budget_max_cny", "site_floors",
        "site_has_elevator"].forEach(function (name) {
        var v = value(name);
        if (v) params.append(name, v);
      });
      var certifications = value("required_certifications");
      if (Array.isArray(certifications)) {
        certifications.forEach(function (v) { params.append("required_certifications", v); });
      }
      return params;
    }

    function refresh() {
      var ticket = ++asked;
      fetch(box.dataset.readingUrl + "?" + query().toString(), {
        headers: { "X-Requested-With": "fetch" },
        credentials: "same-origin",
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data || ticket !== asked) return;
          latest = data;
          result.innerHTML = data.html;
        })
        .catch(function () { /* the button still works as a form submit */ });
    }

    function apply(event) {
      if (!latest) return; // no live reading yet: let the form submit and the server apply it
      event.preventDefault();
      var domain = form.querySelector('select[name="domain"]');
      if (domain && latest.domain && String(domain.value) !== String(latest.domain)) {
        domain.value = String(latest.domain);
        domain.dispatchEvent(new Event("change", { bubbles: true }));
      }
      latest.categories.forEach(function (pk) {
        var input = form.querySelector('input[name="categories"][value="' + pk + '"]');
        if (input) {
          input.checked = true;
          var option = input.closest("div");
          if (option) option.hidden = false;
        }
      });
      latest.product_classes.forEach(function (pk) {
        var input = form.querySelector('input[name="product_classes"][value="' + pk + '"]');
        if (input) input.checked = true;
      });
      var old = result.querySelector("[data-applied-note]");
      if (old) old.remove();
      var note = document.createElement("p");
      note.setAttribute("data-applied-note", "");
      note.className = "notice";
      note.setAttribute("role", "status");
      note.textContent = box.dataset.appliedText;
      result.prepend(note);
      var categories = form.querySelector("#id_categories_field");
      if (categories) categories.scrollIntoView({ block: "center" });
    }

    var later = debounce(refresh, 500);
    ["title", "description"].forEach(function (name) {
      var field = form.querySelector('[name="' + name + '"]');
      if (field) field.addEventListener("input", later);
    });
    form.addEventListener("change", function (event) {
      var name = event.target && event.target.name;
      if (["domain", "budget_max_cny", "site_floors", "site_has_elevator", "region",
        "required_certifications"].indexOf(name) !== -1) later();
    });
    if (readButton) {
      readButton.addEventListener("click", function (event) {
        event.preventDefault();
        refresh();
      });
    }
    result.addEventListener("click", function (event) {
      var target = event.target.closest("[data-apply-reading]");
      if (target) apply(event);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-reading-url]").forEach(setup);
  });
})();
