// The wear timer: ticks on the server's clock and remembers a running timer in this
// browser (localStorage), so closing the page loses nothing. Without JavaScript the
// start lives in the page's address, which works the same.
"use strict";

(function () {
  const root = document.getElementById("wear");
  if (!root) return;
  const KEY = "easein.wear";
  // Times are on the server's clock: the phone's may be off, and the log is the server's.
  const offset = Date.parse(root.dataset.now) - Date.now();
  const serverNow = () => Date.now() + offset;

  const since = root.dataset.since;
  if (!since) {
    // Not running here: a timer left running in this browser brings its page back.
    try {
      const saved = JSON.parse(localStorage.getItem(KEY) || "null");
      if (saved && saved.url && !document.querySelector(".notice.error")) {
        window.location.replace(saved.url);
      }
    } catch (e) { /* nothing saved */ }
    return;
  }
  try {
    localStorage.setItem(KEY, JSON.stringify({ url: location.pathname + location.search }));
  } catch (e) { /* private mode: the address still has it */ }

  const start = Date.parse(since);
  const every = parseInt(root.dataset.checkin || "0", 10) * 60000;
  const elapsed = root.querySelector("[data-elapsed]");
  const prompt = root.querySelector("[data-checkin-prompt]");
  let nextCheck = every ? start + every : Infinity;
  while (nextCheck < serverNow()) nextCheck += every;

  function tick() {
    const s = Math.max(0, Math.floor((serverNow() - start) / 1000));
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    elapsed.textContent = h + ":" + String(m).padStart(2, "0") + ":" + String(s % 60).padStart(2, "0");
    if (serverNow() >= nextCheck) {
      nextCheck += every;
      prompt.hidden = false;
      if (navigator.vibrate) navigator.vibrate([200, 100, 200]);
    }
  }
  tick();
  setInterval(tick, 1000);

  root.querySelector("[data-fine]").addEventListener("click", () => { prompt.hidden = true; });
  const forget = () => { try { localStorage.removeItem(KEY); } catch (e) { /* */ } };
  root.querySelector("[data-stop-form]").addEventListener("submit", forget);
  root.querySelector("[data-forget]").addEventListener("click", forget);
})();
