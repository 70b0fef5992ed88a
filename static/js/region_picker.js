// Region fields: the server sends a <select> grouped by province (青岛市 first), which works as
// it is; with Tom Select (static/vendor/tom-select) it also takes a typed name, and a multiple
// choice shows the chosen regions as removable chips.
(function () {
  "use strict";
  if (typeof window.TomSelect === "undefined") return;

  document.querySelectorAll("select[data-region-picker]").forEach(function (select) {
    var multiple = select.multiple;
    select.removeAttribute("size");
    new window.TomSelect(select, {
      plugins: multiple ? ["remove_button"] : ["dropdown_input"],
      maxOptions: null,
      allowEmptyOption: !multiple,
      lockOptgroupOrder: true,
      // A province's name finds its cities too.
      searchField: ["text", "optgroup"],
      placeholder: select.dataset.searchPlaceholder || "",
      hidePlaceholder: true,
      closeAfterSelect: !multiple,
      onItemAdd: function () {
        this.setTextboxValue("");
        this.refreshOptions(false);
      },
      render: {
        no_results: function () {
          var empty = document.createElement("div");
          empty.className = "no-results";
          empty.textContent = select.dataset.noResults || "—";
          return empty;
        },
      },
    });
  });
})();
