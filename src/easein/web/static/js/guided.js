// The guided session, step by step. Nothing is saved here: Finish or Stop opens the
// log form filled in with what the session recorded (items, minutes, breath phase,
// warm-up, re-lubing), to check and save.
"use strict";

(function () {
  const root = document.getElementById("guided");
  const stop = document.getElementById("stop");
  const started = Date.now();
  const record = {
    warmedUp: false,
    reinsertions: 0,
    relubes: 0,
    using: 0,
  };
  const timers = new Set();

  function every(ms, fn) {
    const handle = setInterval(fn, ms);
    timers.add(handle);
    return handle;
  }
  function clock(el, from) {
    const s = Math.floor((Date.now() - from) / 1000);
    el.textContent = Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }
  function chosenItems() {
    if (!root) return [];
    return [...root.querySelectorAll("input[name=item]:checked")]
      .map((i) => ({ id: i.value, name: i.dataset.name, mm: parseFloat(i.dataset.mm) }))
      .sort((a, b) => a.mm - b.mm);
  }
  function value(name, fallback) {
    const el = root && root.querySelector("input[name=" + name + "]:checked");
    return el ? el.value : fallback;
  }

  function logUrl(outcome) {
    const params = new URLSearchParams({ kind: "stretch", outcome: outcome });
    const minutes = Math.max(1, Math.round((Date.now() - started) / 60000));
    params.set("duration", String(minutes));
    chosenItems().slice(0, record.using + 1).forEach((item) => params.append("item", item.id));
    if (root) {
      params.set("breath_phase", value("phase", ""));
      if (record.warmedUp) params.set("warm_up", "yes");
      if (record.reinsertions > 0) {
        params.set("relubed", record.relubes >= record.reinsertions ? "yes" : "no");
      }
    }
    return "/log?" + params.toString();
  }

  function end(outcome) {
    timers.forEach((t) => { clearInterval(t); clearTimeout(t); });
    window.location.assign(logUrl(outcome));
  }

  // Stop: always on screen, always works (a plain link without JavaScript).
  stop.addEventListener("click", (event) => {
    event.preventDefault();
    end("stopped");
  });
  if (!root) return;

  // Steps.
  function show(name) {
    root.querySelectorAll("[data-step]").forEach((s) => { s.hidden = s.dataset.step !== name; });
    const step = root.querySelector("[data-step=" + name + "]");
    step.scrollIntoView({ block: "start" });
    if (name === "warmup") {
      const from = Date.now();
      const el = step.querySelector("[data-clock=warmup]");
      every(1000, () => clock(el, from));
    }
    if (name === "breathe") record.warmedUp = true;
  }
  root.querySelectorAll("[data-go]").forEach((button) => {
    button.hidden = false;
    button.addEventListener("click", () => {
      const need = root.querySelector("[data-need-item]");
      need.hidden = !(button.dataset.go === "warmup" && chosenItems().length === 0);
      if (!need.hidden) return;
      show(button.dataset.go);
    });
  });

  // Breath pacer.
  const pacer = root.querySelector("[data-pacer]");
  const cue = root.querySelector("[data-cue]");
  const holdClock = root.querySelector("[data-clock=hold]");
  const using = root.querySelector("[data-using]");
  const relube = root.querySelector("[data-relube]");
  const holdButton = root.querySelector("[data-hold]");
  let pacing = false;
  let holding = null; // when the hold began
  let holdTimer = null;
  let phaseTimer = null;
  let inhaling = true;
  let audio = null;

  function beep(high) {
    if (!root.querySelector("input[name=sound]").checked) return;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      const osc = audio.createOscillator();
      const gain = audio.createGain();
      osc.frequency.value = high ? 528 : 396;
      gain.gain.setValueAtTime(0.08, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.35);
      osc.connect(gain).connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + 0.4);
    } catch (e) { /* no sound */ }
  }
  function buzz() {
    if (root.querySelector("input[name=vibrate]").checked && navigator.vibrate) navigator.vibrate(200);
  }
  function showUsing() {
    const items = chosenItems();
    const item = items[Math.min(record.using, items.length - 1)];
    using.textContent = item ? "Now: " + item.name : "";
  }

  function breathe() {
    if (!pacing) return;
    const tempo = parseInt(value("tempo", "5"), 10);
    const relaxing = value("phase", "exhale") === (inhaling ? "inhale" : "exhale");
    pacer.style.transitionDuration = tempo + "s";
    pacer.classList.toggle("in", inhaling);
    pacer.classList.toggle("out", !inhaling);
    pacer.classList.remove("advance", "hold");
    const breath = inhaling ? "Breathe in" : "Breathe out";
    if (!relube.hidden) {
      cue.textContent = "Lube again before going back in";
    } else if (holding) {
      pacer.classList.add("hold");
      cue.textContent = breath + " — hold, let it settle";
    } else if (relaxing) {
      pacer.classList.add("advance");
      cue.textContent = breath + " — advance a little now";
      buzz();
    } else {
      cue.textContent = breath + " — stay still";
    }
    pacer.textContent = inhaling ? "in" : "out";
    beep(relaxing);
    inhaling = !inhaling;
    phaseTimer = setTimeout(breathe, tempo * 1000);
    timers.add(phaseTimer);
  }

  root.querySelector("[data-begin]").addEventListener("click", (event) => {
    event.currentTarget.hidden = true;
    root.querySelector("[data-settings]").open = false;
    pacing = true;
    inhaling = true;
    showUsing();
    breathe();
  });

  holdButton.addEventListener("click", () => {
    if (holding) {
      holding = null;
      clearInterval(holdTimer);
      holdClock.hidden = true;
      holdButton.textContent = "Hold here";
      return;
    }
    holding = Date.now();
    holdClock.hidden = false;
    clock(holdClock, holding);
    holdTimer = every(1000, () => clock(holdClock, holding));
    holdButton.textContent = "Comfortable: go on";
  });

  function reinsert() {
    record.reinsertions += 1;
    relube.hidden = false;
    cue.textContent = "Lube again before going back in";
    relube.querySelector("button").focus({ preventScroll: true });
  }
  root.querySelector("[data-reinsert]").addEventListener("click", reinsert);
  root.querySelector("[data-next-item]").addEventListener("click", () => {
    const items = chosenItems();
    if (record.using + 1 >= items.length) {
      cue.textContent = "That was the last item you chose for this session.";
      return;
    }
    record.using += 1;
    showUsing();
    reinsert();
  });
  root.querySelector("[data-relubed]").addEventListener("click", () => {
    record.relubes += 1;
    relube.hidden = true;
  });
  root.querySelector("[data-finish]").addEventListener("click", () => end("completed"));
})();
