// EaseIn's service worker (VERSION and SHELL are prepended by the server).
// It keeps only public pages (emergency, guide, offline, hide) and static files:
// nothing personal is ever stored on the device by it.
"use strict";

const CACHE = "easein-" + VERSION;
const PUBLIC = /^\/(emergency|guide(\/[a-z0-9-]+)?|offline|hide)$/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting())
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;

  if (url.pathname.startsWith("/static/") || url.pathname.startsWith("/icons/")) {
    // Versioned assets: the cache first.
    event.respondWith(
      caches.match(request).then((hit) => hit || fetch(request))
    );
    return;
  }

  if (request.mode === "navigate") {
    if (PUBLIC.test(url.pathname) && !url.search) {
      // Public pages: fresh when online (and kept), the kept copy when offline.
      event.respondWith(
        fetch(request)
          .then((response) => {
            if (response.ok) {
              const copy = response.clone();
              caches.open(CACHE).then((cache) => cache.put(url.pathname, copy));
            }
            return response;
          })
          .catch(() => caches.match(url.pathname).then((hit) => hit || caches.match("/offline")))
      );
      return;
    }
    // Private pages: always from the network, never kept; offline, say so.
    event.respondWith(fetch(request).catch(() => caches.match("/offline")));
  }
});

// Web Push: the server sends {"title", "body"} (already neutral unless the person chose
// otherwise); shown as is, with the app's icon. Nothing is kept on the device. A message
// without them (empty, not JSON, or not ours) shows a neutral default, never its raw text.
const NEUTRAL = { title: "EaseIn", body: "Something new is waiting in the app." };

function textOf(value, fallback) {
  return typeof value === "string" && value.trim() ? value.slice(0, 500) : fallback;
}

function pushed(event) {
  let data = null;
  try {
    data = event.data ? event.data.json() : null;
  } catch (error) {
    data = null;
  }
  if (!data || typeof data !== "object") data = {};
  const titled = textOf(data.title, null) !== null;
  // A message of ours always has both; one with only a title is shown with no body.
  return {
    title: textOf(data.title, NEUTRAL.title),
    body: textOf(data.body, titled ? "" : NEUTRAL.body),
  };
}

self.addEventListener("push", (event) => {
  const message = pushed(event);
  event.waitUntil(
    self.registration.showNotification(message.title, {
      body: message.body,
      icon: "/icons/icon-192.png",
      badge: "/icons/icon-192.png",
      tag: "easein",
      renotify: true,
    })
  );
});

// A tap opens the app (an open window is focused rather than a second one opened).
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => new URL(w.url).origin === self.location.origin);
      const opened = () => self.clients.openWindow("/");
      return open ? open.focus().catch(opened) : opened();
    })
  );
});
