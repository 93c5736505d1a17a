// Admin change form of a publishable item: the publish button says "Schedule for dd/mm/yyyy
// HH:MM" while the publish time typed is in the future, and "Publish" otherwise. The server
// decides what happens either way; this only keeps the button's name honest as one types.
// Beside the publish time, a "Tomorrow, 09:00" shortcut fills it.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var button = document.querySelector("button[data-publish-label]");
  var date = document.getElementById("id_publish_at_0");
  var time = document.getElementById("id_publish_at_1");
  if (!button || !date || !time) {
    return;
  }
  function pad(n) {
    return (n < 10 ? "0" : "") + n;
  }
  function typed() {
    var d = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(date.value.trim());
    if (!d) {
      return null;
    }
    var t = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(time.value.trim()) || [null, "0", "0", "0"];
    // Typed in the server's time zone, whose offset the admin puts on <body>.
    var offset = +(document.body.dataset.adminUtcOffset || 0);
    return new Date(Date.UTC(+d[3], +d[2] - 1, +d[1], +t[1], +t[2], +(t[3] || 0)) - offset * 1000);
  }
  function update() {
    var when = typed();
    if (when && when > new Date()) {
      var d = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(date.value.trim());
      var t = /^(\d{1,2}):(\d{2})/.exec(time.value.trim()) || [null, "0", "0"];
      button.textContent = button.dataset.scheduleLabel + " " + pad(+d[1]) + "/" + pad(+d[2]) +
        "/" + d[3] + " " + pad(+t[1]) + ":" + pad(+t[2]);
    } else {
      button.textContent = button.dataset.publishLabel;
    }
  }
  [date, time].forEach(function (input) {
    input.addEventListener("input", update);
    input.addEventListener("change", update);
  });
  // "Tomorrow, 09:00": the usual time for a story held overnight, filled into both boxes in
  // one click (where the editor sees it and may change it) instead of two clicks and two
  // typed values. Tomorrow in the server's time zone, as the boxes are.
  var tomorrow = document.createElement("button");
  tomorrow.type = "button";
  tomorrow.className = "button publishing-tomorrow";
  tomorrow.textContent = "Tomorrow, 09:00";
  tomorrow.addEventListener("click", function () {
    var offset = +(document.body.dataset.adminUtcOffset || 0);
    var there = new Date(Date.now() + offset * 1000 + 86400000);
    date.value = pad(there.getUTCDate()) + "/" + pad(there.getUTCMonth() + 1) + "/" +
      there.getUTCFullYear();
    time.value = "09:00";
    [date, time].forEach(function (input) {
      input.dispatchEvent(new Event("input", { bubbles: true }));
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
    time.focus();
  });
  (time.closest(".datetime") || time.parentNode).after(tomorrow);
  // The admin's "Today" / "Now" shortcuts and calendar set the value without an event.
  document.addEventListener("click", function () {
    window.setTimeout(update, 0);
  });
  update();
});
