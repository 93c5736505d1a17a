// Admin change form of a publishable item: writing aids under each rich-text editor. A word
// count and a reading-time estimate (about 200 words a minute), updated as the editor types.
(function () {
  "use strict";
  var WORDS_PER_MINUTE = 200;

  function describe(words) {
    if (!words) {
      return "No words yet.";
    }
    var minutes = Math.max(1, Math.round(words / WORDS_PER_MINUTE));
    return (
      words.toLocaleString("en-GB") + " word" + (words === 1 ? "" : "s") +
      " · about " + minutes + " minute" + (minutes === 1 ? "" : "s") + " to read"
    );
  }
  function count(editor) {
    var text = editor.editable() ? editor.editable().getText() : "";
    return text.split(/\s+/).filter(function (word) {
      return /[\p{L}\p{N}]/u.test(word);
    }).length;
  }
  function attach(editor) {
    if (editor.publishingWritingAids) {
      return;
    }
    editor.publishingWritingAids = true;
    var line = document.createElement("p");
    line.className = "publishing-writing-aids";
    line.id = editor.name + "_writing_aids";
    editor.container.$.insertAdjacentElement("afterend", line);
    var timer = null;
    function update() {
      line.textContent = describe(count(editor));
    }
    editor.on("change", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, 150);
    });
    editor.on("key", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(update, 300);
    });
    editor.on("setData", function () {
      window.setTimeout(update, 0);
    });
    update();
  }
  // This script may run before CKEditor's own (the admin's media come before the form's).
  document.addEventListener("DOMContentLoaded", function () {
    if (!window.CKEDITOR) {
      return;
    }
    Object.keys(window.CKEDITOR.instances).forEach(function (name) {
      var editor = window.CKEDITOR.instances[name];
      if (editor.status === "ready") {
        attach(editor);
      }
    });
    window.CKEDITOR.on("instanceReady", function (event) {
      attach(event.editor);
    });
  });
})();
