// Post form: choosing the post's report ticks the report's topics, when no topic is ticked
// yet, and says so beside the topics (a post about a report is nearly always in its topics;
// the editor unticks any that do not fit). Ticked ones are never unticked here.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var report = document.querySelector("select[data-topics-url]");
  var boxes = document.querySelectorAll("input[name=topics]");
  if (!report || !boxes.length || !(window.django && window.django.jQuery)) {
    return;
  }
  var note = document.createElement("p");
  note.className = "help";
  note.id = "topics-from-report";
  note.setAttribute("role", "status");
  var holder = document.getElementById("id_topics") || boxes[boxes.length - 1].parentNode;
  (holder.closest(".related-widget-wrapper") || holder).after(note);
  // select2 says a choice with a jQuery event, which native listeners miss.
  window.django.jQuery(report).on("change", function () {
    var ticked = Array.prototype.some.call(boxes, function (box) { return box.checked; });
    if (!report.value || ticked) {
      return;
    }
    fetch(report.dataset.topicsUrl.replace(/\/0\/$/, "/" + encodeURIComponent(report.value) + "/"), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) { return response.ok ? response.json() : { topics: [] }; })
      .then(function (answer) {
        var names = [];
        boxes.forEach(function (box) {
          if (answer.topics.indexOf(+box.value) !== -1 && !box.checked) {
            box.checked = true;
            // Native, so the leave prompt and autosave (and jQuery's listeners) hear it.
            box.dispatchEvent(new Event("change", { bubbles: true }));
            names.push(box.closest("label") ? box.closest("label").textContent.trim() : box.value);
          }
        });
        note.textContent = names.length
          ? "Ticked the report's topics: " + names.join(", ") + ". Untick any that do not fit."
          : "";
      })
      .catch(function () {});
  });
});
