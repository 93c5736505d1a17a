// Admin change form of a publishable item: the checks before publishing
// (templates/admin/publishable_checks.html) follow the editor's typing. A second after the
// last change the form's unsaved content is posted to the item's checks address, which
// answers the findings as JSON; the list is rebuilt from text, never from HTML.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var panel = document.querySelector(".publishing-checks[data-url]");
  if (!panel) {
    return;
  }
  var form = panel.closest("form");
  var summary = panel.querySelector(".publishing-checks-summary");
  var list = panel.querySelector(".publishing-checks-list");
  var timer = null;

  function show(findings) {
    list.textContent = "";
    findings.forEach(function (finding) {
      var item = document.createElement("li");
      item.dataset.field = finding.field;
      var where = document.createElement("strong");
      where.textContent = finding.where;
      var fix = document.createElement("span");
      fix.className = "publishing-checks-fix";
      fix.textContent = finding.fix;
      item.append(where, ": " + finding.problem + " ", fix);
      list.appendChild(item);
    });
    var n = findings.length;
    summary.textContent = n
      ? n + " thing" + (n === 1 ? "" : "s") + " to check. You may still publish."
      : "No problems found.";
    panel.toggleAttribute("data-clean", !n);
  }
  function check() {
    if (window.CKEDITOR) {
      Object.keys(window.CKEDITOR.instances).forEach(function (name) {
        window.CKEDITOR.instances[name].updateElement();
      });
    }
    var data = new FormData();
    new FormData(form).forEach(function (value, name) {
      if (!(value instanceof File)) {
        data.append(name, value);
      }
    });
    fetch(panel.dataset.url, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (answer) {
        if (answer) {
          show(answer.findings);
        }
      })
      .catch(function () {}); // the list stays as it was; saving shows it again
  }
  function soon() {
    window.clearTimeout(timer);
    timer = window.setTimeout(check, 1000);
  }
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
  if (window.CKEDITOR) {
    Object.keys(window.CKEDITOR.instances).forEach(function (name) {
      if (window.CKEDITOR.instances[name].status === "ready") {
        window.CKEDITOR.instances[name].on("change", soon);
      }
    });
    window.CKEDITOR.on("instanceReady", function (event) {
      event.editor.on("change", soon);
    });
  }
  if (!list.children.length) {
    panel.toggleAttribute("data-clean", summary.textContent.indexOf("No problems") === 0);
  }
});
