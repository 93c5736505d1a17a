// Staff-only enhancement, loaded only in the staff copy of a contact's profile: the
// "Copy address" button. Without JavaScript (or a clipboard) the address is still shown
// and selectable, so the button stays hidden.
(function () {
  "use strict";

  function enhanceCopy(button) {
    if (!navigator.clipboard) return;
    var status = button.parentNode.querySelector("[data-copy-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = button.dataset.copyText;
      navigator.clipboard.writeText(text).then(
        function () { if (status) status.textContent = "Address copied."; },
        function () { if (status) status.textContent = "Could not copy: select the address instead."; }
      );
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-copy-text]").forEach(enhanceCopy);
  });
})();
