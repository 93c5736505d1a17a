// Admin change form of a publishable item: tell the server every third of the presence time
// that this editor still has it open, show who else has (publishing.editing), and say
// goodbye when the page goes away, so colleagues stop seeing "is editing" at once.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var box = document.getElementById("publishing-presence");
  if (!box) {
    return;
  }
  var form = box.closest("form");
  var token = form && form.querySelector("[name=csrfmiddlewaretoken]");
  var note = " Your saves will not overwrite each other's: a save after theirs is refused and shows what changed.";

  function data(extra) {
    var body = new FormData();
    if (token) {
      body.append("csrfmiddlewaretoken", token.value);
    }
    if (extra) {
      body.append(extra, "1");
    }
    return body;
  }
  function show(others) {
    box.textContent = "";
    others.forEach(function (sentence) {
      var p = document.createElement("p");
      p.textContent = sentence + "." + note;
      box.appendChild(p);
    });
    box.hidden = others.length === 0;
  }
  function beat() {
    fetch(box.dataset.url, { method: "POST", body: data(), credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (answer) {
        if (answer) {
          show(answer.others || []);
        }
      })
      .catch(function () {});
  }
  window.setInterval(beat, Math.max(1, (+box.dataset.seconds || 90) / 3) * 1000);
  window.addEventListener("pagehide", function () {
    if (navigator.sendBeacon) {
      navigator.sendBeacon(box.dataset.url, data("_leave"));
    }
  });
});
