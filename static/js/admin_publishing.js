// Admin change form of a publishable item: the publish button says "Schedule for dd/mm/yyyy
// HH:MM" while the publish time typed is in the future, and "Publish" otherwise. The server
// decides what happens either way; this only keeps the button's name honest as one types.
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
  // The admin's "Today" / "Now" shortcuts and calendar set the value without an event.
  document.addEventListener("click", function () {
    window.setTimeout(update, 0);
  });
  update();
});
