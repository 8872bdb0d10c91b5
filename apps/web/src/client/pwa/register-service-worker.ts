/**
 * Installs the client space's service worker (app shell offline, never the API): production
 * builds only, where the server serves it at /espace/sw.js with `Service-Worker-Allowed: /espace`.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/espace/sw.js', { scope: '/espace' }).catch(() => {
      // No worker (an older server, a private window): the space works online as before.
    });
  });
}
