// Quick hide: the header's Hide, or Escape pressed twice quickly, switches to a neutral
// screen at once. location.replace drops the current page from the history, so Back
// does not bring it back. Without JavaScript, Hide is a plain link to the same page.
"use strict";

(function () {
  const NEUTRAL = "/hide";
  const TWICE_WITHIN_MS = 800;
  let lastEscape = 0;

  function hide() {
    document.body.hidden = true; // nothing stays on screen while the next page loads
    window.location.replace(NEUTRAL);
  }

  document.addEventListener("click", (event) => {
    const link = event.target.closest ? event.target.closest("a[data-quick-hide]") : null;
    if (!link || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    hide();
  });

  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const now = Date.now();
    if (now - lastEscape <= TWICE_WITHIN_MS) {
      lastEscape = 0;
      hide();
      return;
    }
    lastEscape = now;
  });
})();
