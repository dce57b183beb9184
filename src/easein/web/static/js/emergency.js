// The lost-object protocol's timers: one per trying step; the page reads fine without them.
"use strict";

(function () {
  function format(seconds) {
    const m = Math.floor(seconds / 60);
    const s = seconds % 60;
    return m + ":" + String(s).padStart(2, "0");
  }

  document.querySelectorAll("[data-start-timer]").forEach((button) => {
    const step = button.closest("[data-step]");
    const display = step.querySelector("[data-timer]");
    const done = step.querySelector("[data-timer-done]");
    const total = parseInt(display.dataset.timer, 10);
    let handle = null;
    button.hidden = false;
    button.addEventListener("click", () => {
      const ends = Date.now() + total * 1000;
      display.hidden = false;
      done.hidden = true;
      button.textContent = "Restart the timer";
      if (handle) clearInterval(handle);
      const tick = () => {
        const left = Math.max(0, Math.round((ends - Date.now()) / 1000));
        display.textContent = format(left);
        if (left === 0) {
          clearInterval(handle);
          handle = null;
          done.hidden = false;
          if (navigator.vibrate) navigator.vibrate([300, 150, 300]);
          const next = step.nextElementSibling;
          if (next) next.scrollIntoView({ behavior: "smooth", block: "start" });
        }
      };
      tick();
      handle = setInterval(tick, 1000);
    });
  });
})();
