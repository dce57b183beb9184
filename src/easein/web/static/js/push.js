// "Notify this device" in Settings → Notifications: Web Push to this browser.
// Shown only where the browser can do it. It asks for permission, subscribes with the
// server's public VAPID key and hands the subscription to the server, where it becomes a
// channel like the others; "Stop" ends the subscription here and removes that channel.
// Nothing is kept on the device but the browser's own subscription.
"use strict";

(function () {
  const root = document.getElementById("push");
  if (!root) return;
  const able = "serviceWorker" in navigator && "PushManager" in window &&
    "Notification" in window && window.isSecureContext;
  if (!able) return; // the block stays hidden: the channels below still work

  const status = root.querySelector("[data-push-status]");
  const on = root.querySelector("[data-push-on]");
  const off = root.querySelector("[data-push-off]");
  const csrf = root.querySelector("input[name=csrf_token]").value;
  const READY_WAIT = 20000; // ms: the worker installs from the network the first time
  // ms: a browser that cannot reach its push service may retry without ever answering
  // (Chromium with no route to Google's servers does), so the button says so instead.
  const SUBSCRIBE_WAIT = 30000;

  // Calm, plain messages: never the browser's or the server's raw error.
  const TEXT = {
    on: "This device gets notifications.",
    off: "Notifications are off on this device.",
    blocked: "Notifications are blocked for this site in the browser's settings. " +
      "Allow them there, then try again.",
    dismissed: "Nothing changed: notifications were not allowed.",
    unavailable: "This browser could not set up notifications just now. " +
      "Try again later, or add a channel below instead.",
    offline: "The server could not be reached. Check the connection and try again.",
    stale: "This page is out of date. Reload it and try again.",
    refused: "The server did not add this device.",
    halfOff: "This browser no longer shows them, but the server still lists this device: " +
      "remove “This device” below.",
  };

  function problem(text) {
    const error = new Error(text);
    error.shown = text;
    return error;
  }

  function say(text, isError) {
    status.textContent = text;
    status.classList.toggle("error", Boolean(isError));
    status.hidden = !text;
  }

  function show(subscribed) {
    on.hidden = subscribed;
    off.hidden = !subscribed;
  }

  function busy(flag) {
    on.disabled = flag;
    off.disabled = flag;
  }

  function within(promise, ms) {
    let timer;
    const late = new Promise((resolve, reject) => {
      timer = setTimeout(() => reject(problem(TEXT.unavailable)), ms);
    });
    return Promise.race([promise, late]).finally(() => clearTimeout(timer));
  }

  function keyBytes(base64url) {
    const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
    const raw = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  }

  async function request(url, options) {
    try {
      return await fetch(url, Object.assign({ credentials: "same-origin" }, options));
    } catch (error) {
      throw problem(TEXT.offline);
    }
  }

  function post(url, fields) {
    return request(url, {
      method: "POST",
      headers: { "X-CSRF-Token": csrf },
      body: new URLSearchParams(fields),
    });
  }

  async function serverKey() {
    const response = await request(root.dataset.keyUrl, { headers: { Accept: "application/json" } });
    const type = response.headers.get("content-type") || "";
    if (!response.ok || !type.startsWith("application/json")) throw problem(TEXT.stale);
    return (await response.json()).public_key;
  }

  async function worker() {
    await navigator.serviceWorker.register("/sw.js", { scope: "/" });
    return within(navigator.serviceWorker.ready, READY_WAIT); // subscribing needs it active
  }

  async function subscribe(registration, key) {
    const options = { userVisibleOnly: true, applicationServerKey: keyBytes(key) };
    try {
      return await registration.pushManager.subscribe(options);
    } catch (first) {
      // One made under another server key (the server's database was replaced) is
      // refused: end it and subscribe afresh. Any other failure is the push service's.
      const old = await registration.pushManager.getSubscription();
      if (!old) throw first;
      await old.unsubscribe();
      return registration.pushManager.subscribe(options);
    }
  }

  // The server's channel for this subscription: added, or the one it already has.
  async function hand(subscription) {
    const data = subscription.toJSON();
    const keys = data.keys || {};
    const response = await post(root.dataset.subscribeUrl, {
      endpoint: data.endpoint || "",
      p256dh: keys.p256dh || "",
      auth: keys.auth || "",
    });
    if (response.status === 201) return (await response.json()).id;
    if (response.status === 403) throw problem(TEXT.stale);
    let reason = "";
    try {
      reason = Object.values((await response.json()).errors || {})[0] || "";
    } catch (error) {
      throw problem(TEXT.stale); // not JSON: signed out meanwhile
    }
    throw problem(reason ? TEXT.refused + " " + reason : TEXT.refused);
  }

  function done(what) {
    window.location.assign("/settings?saved=" + what + "#notifications-title");
  }

  async function enable() {
    say("", false);
    busy(true);
    try {
      const permission = await Notification.requestPermission();
      if (permission === "denied") throw problem(TEXT.blocked);
      if (permission !== "granted") throw problem(TEXT.dismissed);
      const key = await serverKey();
      const registration = await worker();
      let subscription;
      try {
        subscription = await within(subscribe(registration, key), SUBSCRIBE_WAIT);
      } catch (error) {
        throw problem(TEXT.unavailable);
      }
      await hand(subscription);
      done("channel-added");
    } catch (error) {
      say(error.shown || TEXT.unavailable, true);
      busy(false);
    }
  }

  async function disable() {
    say("", false);
    busy(true);
    try {
      const registration = await navigator.serviceWorker.getRegistration("/");
      const subscription = registration ? await registration.pushManager.getSubscription() : null;
      if (!subscription) {
        show(false);
        say(TEXT.off, false);
        busy(false);
        return;
      }
      // The page does not know which channel is this device: handing the subscription
      // over again names it (the server keeps one channel per subscription).
      let channel = null;
      try {
        channel = await hand(subscription);
      } catch (error) {
        channel = null;
      }
      await subscription.unsubscribe();
      show(false);
      if (channel === null) throw problem(TEXT.halfOff);
      const removed = await post("/settings/notifications/channels/" + channel + "/remove", {});
      if (!removed.ok) throw problem(TEXT.halfOff);
      done("channel-removed");
    } catch (error) {
      say(error.shown || TEXT.halfOff, true);
      busy(false);
    }
  }

  async function start() {
    root.hidden = false;
    on.addEventListener("click", enable);
    off.addEventListener("click", disable);
    let subscribed = false;
    try {
      const registration = await navigator.serviceWorker.getRegistration("/");
      subscribed = Boolean(registration && (await registration.pushManager.getSubscription()));
    } catch (error) {
      subscribed = false;
    }
    subscribed = subscribed && Notification.permission === "granted";
    show(subscribed);
    if (subscribed) say(TEXT.on, false);
    else if (Notification.permission === "denied") say(TEXT.blocked, false);
  }

  start();
})();
