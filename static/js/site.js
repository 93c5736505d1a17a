// Progressive enhancement only: every page works without this file.
// Share panel: links shown without JS; with it, a button opens them in a modal <dialog>.
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
    // The live region only means something once the script can write to it.
    var status = root.querySelector("[data-share-status]");
    status.hidden = false;
    dialog.addEventListener("close", function () {
      opener.setAttribute("aria-expanded", "false");
      // Cleared, so a reader who opens the panel again is not told the link was copied.
      status.textContent = "";
      if (openedByReader) opener.focus();
      openedByReader = false;
    });
    // A click on the backdrop closes the panel. Clicks on the panel's own padding reach
    // the <dialog> too, so only a click outside its box counts.
    dialog.addEventListener("click", function (event) {
      if (event.target !== dialog) return;
      var box = dialog.getBoundingClientRect();
      var inside = event.clientX >= box.left && event.clientX <= box.right &&
        event.clientY >= box.top && event.clientY <= box.bottom;
      if (!inside) dialog.close();
    });
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

// Errors: focus the summary, so it is heard first. Its links show the whole field (label
// and message sit above the input), which the browser's own jump would scroll out of view.
document.addEventListener("DOMContentLoaded", function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (!summary) return;
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) return;
    var input = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!input) return;
    event.preventDefault();
    var field = input.closest("fieldset, .field, .form__field, .filters__field") || input;
    field.scrollIntoView({ block: "start" });
    input.focus({ preventScroll: true });
    history.replaceState(null, "", link.hash);
  });
});

// One page view, counted with no cookie, after load (dashboard.views.count_view_beacon).
window.addEventListener("load", function () {
  "use strict";
  var body = document.body, item = body.dataset.countItem, from = "";
  if (!item || !navigator.sendBeacon) return;
  try {
    from = new URL(document.referrer).hostname; // the host only, never the address
  } catch (error) {
    // no referrer, or not a URL
  }
  navigator.sendBeacon(body.dataset.countUrl, new URLSearchParams({ item: item, from: from }));
});
