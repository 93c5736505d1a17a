// Every admin page: give select2's search boxes (the related-item pickers) an accessible name,
// which select2 leaves out (axe "label"), and mend two more of the admin's own ARIA slips. They are made and remade as editors pick items, so
// new ones are named as they appear.
(function () {
  "use strict";
  function selectIdOf(input) {
    var attrs = [input.getAttribute("aria-controls"), input.getAttribute("aria-describedby")];
    for (var i = 0; i < attrs.length; i += 1) {
      var match = /select2-(.+?)-(results|container)/.exec(attrs[i] || "");
      if (match) {
        return match[1];
      }
    }
    var container = input.closest(".select2-container");
    var select = container && container.previousElementSibling;
    return select && select.tagName === "SELECT" ? select.id : null;
  }
  function name(root) {
    root.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (input) {
      var id = selectIdOf(input);
      var label = id && document.querySelector('label[for="' + id + '"]');
      var text = label ? label.textContent.replace(/[:*]\s*$/, "").trim() : "items";
      input.setAttribute("aria-label", "Search " + text.toLowerCase());
    });
  }
  // A single-item picker is named by its selection alone, which is empty until one is
  // chosen (axe "aria-input-field-name"): add its field's label to the name.
  function nameCombos(root) {
    root.querySelectorAll('.select2-selection[role="combobox"]').forEach(function (combo) {
      var rendered = combo.querySelector(".select2-selection__rendered[id]");
      var match = rendered && /^select2-(.+)-container$/.exec(rendered.id);
      var label = match && document.querySelector('label[for="' + match[1] + '"]');
      if (!label || (combo.getAttribute("aria-labelledby") || "").indexOf(" ") !== -1) {
        return;
      }
      label.id = label.id || match[1] + "_label";
      combo.setAttribute("aria-labelledby", label.id + " " + rendered.id);
      // Its inner text box too (a reference to itself reads its own text).
      rendered.setAttribute("aria-labelledby", label.id + " " + rendered.id);
    });
  }
  // Django's two-box picker (filter_horizontal) names its magnifier icon with aria-label on a
  // role-less span, which ARIA forbids (axe "aria-prohibited-attr"): it is an image.
  // A multiple select2 puts its "clear all" span straight into its list of choices (axe
  // "list"): it is given the list-item role its place asks for.
  function mend(root) {
    root.querySelectorAll(".help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
    root.querySelectorAll("ul.select2-selection__rendered > span:not([role])").forEach(
      function (span) {
        span.setAttribute("role", "listitem");
      }
    );
  }
  function all() {
    name(document);
    nameCombos(document);
    mend(document);
  }
  document.addEventListener("DOMContentLoaded", function () {
    all();
    new MutationObserver(all).observe(document.body, { childList: true, subtree: true });
  });
})();
