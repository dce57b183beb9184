// The wear timer: the server keeps it (opening Wear timer on any device brings it back);
// this only ticks the clock, shows the check-ins, and says when the planned time is up.
// Without JavaScript the page still shows the start and the planned end.
"use strict";

(function () {
  const root = document.getElementById("wear");
  if (!root) return;
  try { localStorage.removeItem("easein.wear"); } catch (e) { /* an older page's copy */ }
  const since = root.dataset.since;
  if (!since) return;
  // Times are on the server's clock: the phone's may be off, and the log is the server's.
  const offset = Date.parse(root.dataset.now) - Date.now();
  const serverNow = () => Date.now() + offset;

  const start = Date.parse(since);
  const up = root.dataset.up ? Date.parse(root.dataset.up) : Infinity;
  const every = parseInt(root.dataset.checkin || "0", 10) * 60000;
  const elapsed = root.querySelector("[data-elapsed]");
  const prompt = root.querySelector("[data-checkin-prompt]");
  const upPrompt = root.querySelector("[data-up-prompt]");
  let nextCheck = every ? start + every : Infinity;
  while (nextCheck < serverNow()) nextCheck += every;
  let told = serverNow() >= up;
  if (told) upPrompt.hidden = false;

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
    if (!told && serverNow() >= up) {
      told = true;
      upPrompt.hidden = false;
      if (navigator.vibrate) navigator.vibrate([200]);
    }
  }
  tick();
  setInterval(tick, 1000);

  root.querySelector("[data-fine]").addEventListener("click", () => { prompt.hidden = true; });
})();
