// Small progressive enhancements shared by every page. Everything works without them.
"use strict";

(function () {
  // Installable app: the service worker keeps the emergency page and the guide offline.
  if ("serviceWorker" in navigator && window.isSecureContext) {
    window.addEventListener("load", () => {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
    });
  }

  // Sign-up: start from the device's time zone when the list has it.
  document.querySelectorAll("select[data-guess-zone]").forEach((select) => {
    if (select.value !== "UTC") return;
    try {
      const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (zone && [...select.options].some((o) => o.value === zone || o.text === zone)) {
        select.value = zone;
      }
    } catch (e) { /* keep UTC */ }
  });

  // Log form: the blood colour only matters when there was blood.
  function syncColour(root) {
    const form = root.querySelector ? root.querySelector("form.log-form") : null;
    if (!form) return;
    const colour = form.querySelector("input[name=colour]");
    if (!colour) return;
    const fieldset = colour.closest("fieldset");
    const update = () => {
      const bleeding = form.querySelector("input[name=bleeding]:checked");
      fieldset.hidden = !bleeding || bleeding.value === "none";
    };
    form.querySelectorAll("input[name=bleeding]").forEach((r) => r.addEventListener("change", update));
    update();
  }
  syncColour(document);
  document.body.addEventListener("htmx:afterSwap", (event) => syncColour(event.target.parentNode || document));
})();
