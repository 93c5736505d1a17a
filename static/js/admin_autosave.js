// Admin change form of a publishable item: never lose work. Leaving with unsaved changes asks
// first; while there are unsaved changes the form is kept on the server every N seconds
// (publishing.Autosave), and the next visit offers it back (templates/admin/
// publishable_change_form.html). Files are not kept (choosing one still asks before leaving).
// Every choice counts as a change: pickers set their fields by script (Django's popups and
// select2 announce it with a jQuery event that native listeners miss; the date and time
// shortcuts announce nothing), so the form's fields are also compared with what they were.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var config = document.getElementById("publishing-autosave");
  if (!config) {
    return;
  }
  var form = config.closest("form");
  var unsaved = false; // changed since the page loaded (asks before leaving)
  var unsent = false; // changed since the last autosave
  var submitting = false;

  function editors() {
    var list = [];
    if (window.CKEDITOR) {
      Object.keys(window.CKEDITOR.instances).forEach(function (name) {
        list.push(window.CKEDITOR.instances[name]);
      });
    }
    return list;
  }
  function changed() {
    unsaved = true;
    unsent = true;
  }
  function watchEditor(editor) {
    if (!editor.publishingWatched) {
      editor.publishingWatched = true;
      editor.on("change", changed);
    }
  }
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  // The fields as they stand, but for the rich-text ones (the editor's own "change" tells)
  // and the files' contents (their names tell).
  function signature() {
    var parts = [];
    new FormData(form).forEach(function (value, name) {
      var field = form.elements[name];
      if (field && field.dataset && field.dataset.type === "ckeditortype") {
        return;
      }
      parts.push(name + "=" + (value instanceof File ? "file:" + value.name : value));
    });
    return parts.join("&");
  }
  var seen = signature();
  function compare() {
    var now = signature();
    if (now !== seen) {
      seen = now;
      changed();
    }
  }
  function compareSoon() {
    window.setTimeout(compare, 0); // after the click's own handlers have set the field
  }
  if (window.django && window.django.jQuery) {
    window.django.jQuery(document).on("change", compareSoon);
  }
  document.addEventListener("click", compareSoon);
  document.addEventListener("keyup", compareSoon);
  if (window.CKEDITOR) {
    editors().forEach(watchEditor);
    window.CKEDITOR.on("instanceReady", function (event) {
      watchEditor(event.editor);
    });
  }
  form.addEventListener("submit", function () {
    submitting = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (unsaved && !submitting) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  function post(extra) {
    editors().forEach(function (editor) {
      editor.updateElement();
    });
    var data = new FormData();
    new FormData(form).forEach(function (value, name) {
      if (!(value instanceof File)) {
        data.append(name, value);
      }
    });
    Object.keys(extra || {}).forEach(function (name) {
      data.append(name, extra[name]);
    });
    return fetch(config.dataset.url, { method: "POST", body: data, credentials: "same-origin" });
  }
  window.setInterval(function () {
    compare();
    if (unsent && !submitting) {
      unsent = false;
      post().catch(function () {
        unsent = true; // try again next time
      });
    }
  }, Math.max(1, +config.dataset.seconds || 30) * 1000);

  // The offer of an earlier autosave.
  var offer = document.querySelector(".publishing-autosave-offer");
  var saved = document.getElementById("autosave-data");
  if (!offer || !saved) {
    return;
  }
  // Labels of the chosen items that a picker loads on demand (report, contacts), so a
  // restored choice is shown by its name even though its option was not on the page.
  var labelsScript = document.getElementById("autosave-labels");
  var labels = labelsScript ? JSON.parse(labelsScript.textContent) : {};
  function restore(data) {
    var announce = [];
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.type === "file" || field.type === "submit" ||
          field.type === "button" || !(field.name in data) && field.type !== "checkbox") {
        return;
      }
      var values = data[field.name] || [];
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = values.indexOf(field.value) !== -1;
      } else if (field.tagName === "SELECT") {
        (labels[field.name] || []).forEach(function (pair) {
          var present = Array.prototype.some.call(field.options, function (option) {
            return option.value === pair[0];
          });
          if (!present) {
            field.appendChild(new Option(pair[1], pair[0]));
          }
        });
        Array.prototype.forEach.call(field.options, function (option) {
          option.selected = values.indexOf(option.value) !== -1;
        });
        announce.push(field);
      } else if (field.type !== "hidden" || field.name === "status" ||
                 field.name === "edit_base" ||
                 field.classList.contains("vForeignKeyRawIdAdminField")) {
        // edit_base: the version the typing started from, so a save over a colleague's
        // newer one is refused and compared rather than winning unseen. A library image's
        // id is a hidden input too.
        field.value = values[0] || "";
        if (field.closest(".image-chooser") ||
            field.classList.contains("vForeignKeyRawIdAdminField")) {
          announce.push(field); // shows the restored image's thumbnail and description
        }
      }
    });
    // Told the way Django's own pickers are told (select2, the image chooser listen).
    if (window.django && window.django.jQuery) {
      announce.forEach(function (field) {
        window.django.jQuery(field).trigger("change");
      });
    }
    editors().forEach(function (editor) {
      var textarea = document.getElementById(editor.name);
      if (textarea) {
        editor.setData(textarea.value);
      }
    });
    changed();
  }
  offer.querySelector("[data-autosave-restore]").addEventListener("click", function () {
    restore(JSON.parse(saved.textContent));
    offer.hidden = true;
  });
  offer.querySelector("[data-autosave-discard]").addEventListener("click", function () {
    post({ _discard: "1" });
    offer.hidden = true;
  });
});
