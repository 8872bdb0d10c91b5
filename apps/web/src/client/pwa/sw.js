/*
 * Passerelle's service worker for the client space, served at /espace/sw.js with the header
 * `Service-Worker-Allowed: /espace` (scope /espace, so that the start page /espace itself is
 * controlled). The build replaces the two placeholders below with the hashed files of
 * client.html and a version derived from them (scripts/service-worker-plugin.mjs).
 *
 * What it caches: the app shell only (the HTML of /espace and the immutable /assets/* files),
 * so that the installed app opens without a network and says it is offline. What it never
 * caches: /api/* (figures, pieces, documents' bytes): those requests are not even intercepted.
 * Signing out (POST /api/auth/logout, or a page answered by a redirect to sign in) empties the
 * caches, so nothing of the session outlives it on a shared phone.
 */
const VERSION = '__PASSERELLE_VERSION__';
const PRECACHE = __PASSERELLE_PRECACHE__;
const PREFIX = 'passerelle-';
const SHELL_CACHE = `${PREFIX}shell-${VERSION}`;
const SHELL_URL = '/espace';
const NEVER_INTERCEPTED = /^\/(?:api|auth|idp|mailbox)(?:\/|$)/;

function isSpacePage(url) {
  return url.pathname === SHELL_URL || url.pathname.startsWith(`${SHELL_URL}/`);
}

async function clearCaches() {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith(PREFIX)).map((name) => caches.delete(name)));
}

async function cacheShellPage(response) {
  // Only a real page of a signed-in person: never a redirect to sign in, never an error page.
  if (response.ok && response.type === 'basic' && !response.redirected) {
    const cache = await caches.open(SHELL_CACHE);
    await cache.put(SHELL_URL, response);
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      await cache.addAll(PRECACHE);
      try {
        await cacheShellPage(await fetch(SHELL_URL, { credentials: 'same-origin', redirect: 'manual' }));
      } catch {
        // Offline while installing: the page is cached at the next visit.
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith(PREFIX) && name !== SHELL_CACHE)
          .map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'passerelle:clear-caches') event.waitUntil(clearCaches());
});

async function fromNetworkThenShell(request) {
  try {
    const response = await fetch(request);
    if (response.type === 'opaqueredirect' || response.status === 401) {
      // Signed out (or the session ended elsewhere): forget the shell of the previous session.
      await clearCaches();
    } else {
      await cacheShellPage(response.clone());
    }
    return response;
  } catch (error) {
    const cached = await caches.match(SHELL_URL);
    if (cached) return cached;
    throw error;
  }
}

async function fromCacheThenNetwork(request) {
  const cached = await caches.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') {
    const cache = await caches.open(SHELL_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === 'POST' && url.pathname === '/api/auth/logout') {
    event.waitUntil(clearCaches());
    return;
  }
  // API answers and documents go to the network, untouched and never stored.
  if (request.method !== 'GET' || NEVER_INTERCEPTED.test(url.pathname)) return;
  if (request.mode === 'navigate' && isSpacePage(url)) {
    event.respondWith(fromNetworkThenShell(request));
    return;
  }
  // Hashed, immutable files: the cache answers first.
  if (url.pathname.startsWith('/assets/')) event.respondWith(fromCacheThenNetwork(request));
});
