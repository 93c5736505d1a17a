// Small progressive enhancement: every page works without this file.
// The share panel: without JavaScript its links are simply shown; with it, a
// "Share this article" button opens them in a modal <dialog>, which gives focus
// handling and Escape-to-close natively.
(function () {
  "use strict";

  function enhanceShare(root) {
    var dialog = root.querySelector("dialog");
    var opener = root.querySelector("[data-share-open]");
    if (!dialog || !opener || typeof dialog.showModal !== "function") return;
    // Removing the attribute, not close(): close() queues a "close" event, which would move
    // focus to the button (and scroll the page to it) as soon as the article loads.
    dialog.removeAttribute("open");
    opener.hidden = false;
    root.querySelector("[data-share-close]").hidden = false;
    opener.setAttribute("aria-expanded", "false");
    var openedByReader = false;
    opener.addEventListener("click", function () {
      dialog.showModal();
      openedByReader = true;
      opener.setAttribute("aria-expanded", "true");
    });
    dialog.addEventListener("close", function () {
      opener.setAttribute("aria-expanded", "false");
      if (openedByReader) opener.focus();
      openedByReader = false;
    });

    // The live region only means something once the script can write to it.
    var status = root.querySelector("[data-share-status]");
    status.hidden = false;
    var copy = root.querySelector("[data-copy-link]");
    if (copy && navigator.clipboard) {
      copy.hidden = false;
      copy.addEventListener("click", function () {
        navigator.clipboard.writeText(copy.dataset.copyLink).then(
          function () { status.textContent = "Link copied."; },
          function () { status.textContent = "Could not copy: the link is " + copy.dataset.copyLink; }
        );
      });
    }
    var native = root.querySelector("[data-native-share]");
    if (native && navigator.share) {
      native.hidden = false;
      native.addEventListener("click", function () {
        navigator.share({ title: native.dataset.title, url: native.dataset.url }).catch(function () {});
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-share]").forEach(enhanceShare);
  });
})();

// A form sent back with errors: move focus to its summary so keyboard and screen-reader
// users hear what to fix first.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) summary.focus();
});
