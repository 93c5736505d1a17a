// A popup's save (the "+" beside a post's report): what it did, named, is shown beside the
// field the popup filled on the form that opened it, instead of at the top of that form's
// next page. Runs before Django's popup_response.js closes the popup.
(function () {
  "use strict";
  var box = document.getElementById("publishing-popup-messages");
  var opener = window.opener;
  if (!box || !opener || opener.closed) {
    return;
  }
  // Django names a related-object popup after its field's id, plus "__<n>".
  var id = window.name.replace(/__\d+$/, "");
  var field = opener.document.getElementById(id);
  var wrapper = field && (field.closest(".related-widget-wrapper") || field.parentNode);
  if (!wrapper) {
    return;
  }
  var note = opener.document.getElementById(id + "_popup_messages");
  if (!note) {
    note = opener.document.createElement("div");
    note.id = id + "_popup_messages";
    note.className = "help publishing-popup-messages";
    note.setAttribute("role", "status");
    wrapper.parentNode.insertBefore(note, wrapper.nextSibling);
  }
  note.innerHTML = box.innerHTML; // the server's own escaped HTML (format_html)
})();
