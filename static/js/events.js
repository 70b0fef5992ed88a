// Event forms. The pages work without JavaScript; the server checks every rule.
(function () {
  "use strict";

  // Outcome form: the pilot site and dates only matter for a pilot or a deployment.
  document.querySelectorAll("form[data-outcome-form]").forEach(function (form) {
    var outcome = form.querySelector('select[name="outcome"]');
    var pilot = form.querySelector("[data-pilot-fields]");
    if (!outcome || !pilot) return;
    function refresh() {
      var relevant = outcome.value === "pilot" || outcome.value === "deployment";
      pilot.hidden = !relevant && !pilot.querySelector(".field-error");
    }
    outcome.addEventListener("change", refresh);
    refresh();
  });

  // Event form: preview the meeting slots while the times are typed. Mirrors
  // marketplace.models.events.slots_between; what the server saves is what counts.
  function minutes(text) {
    var match = /^\s*(\d{1,2})[:：](\d{2})\s*$/.exec(text || "");
    if (!match) return null;
    var h = Number(match[1]), m = Number(match[2]);
    return h < 24 && m < 60 ? h * 60 + m : null;
  }

  function clock(total) {
    var h = Math.floor(total / 60), m = total % 60;
    return (h < 10 ? "0" : "") + h + ":" + (m < 10 ? "0" : "") + m;
  }

  function breaks(text) {
    var spans = [];
    (text || "").split(/[,，;；]/).forEach(function (part) {
      var ends = part.replace(/[–—～~]/g, "-").split("-");
      if (ends.length !== 2) return;
      var a = minutes(ends[0]), b = minutes(ends[1]);
      if (a !== null && b !== null && a < b) spans.push([a, b]);
    });
    return spans;
  }

  function slots(start, end, length, spans) {
    var found = [], cursor = start;
    while (cursor + length <= end && found.length < 200) {
      var clash = null;
      for (var i = 0; i < spans.length; i++) {
        if (spans[i][0] < cursor + length && cursor < spans[i][1]) { clash = spans[i]; break; }
      }
      if (clash) { cursor = clash[1]; continue; }
      found.push(clock(cursor) + "–" + clock(cursor + length));
      cursor += length;
    }
    return found;
  }

  document.querySelectorAll("form[data-slot-preview]").forEach(function (form) {
    var box = document.getElementById(form.dataset.slotPreview);
    if (!box) return;
    var list = box.querySelector("ol");
    function refresh() {
      var start = minutes(form.elements.starts_at.value);
      var end = minutes(form.elements.ends_at.value);
      var length = Number(form.elements.meeting_minutes.value);
      if (start === null || end === null || !(length >= 5)) { box.hidden = true; return; }
      list.replaceChildren();
      slots(start, end, length, breaks(form.elements.breaks.value)).forEach(function (label) {
        var item = document.createElement("li");
        item.textContent = label;
        list.appendChild(item);
      });
      box.hidden = false;
    }
    form.addEventListener("input", refresh);
    refresh();
  });
})();
