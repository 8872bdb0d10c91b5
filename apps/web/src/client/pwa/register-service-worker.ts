/**
 * Installs the client space's service worker (app shell offline, never the API): production
 * builds only, where the server serves it at /espace/sw.js with `Service-Worker-Allowed: /espace`.
 * After the page has loaded, so that installing it (it downloads the shell) never competes with
 * the first screen.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register('/espace/sw.js', { scope: '/espace' }).catch(() => {
      // No worker (an older server, a private window): the space works online as before.
    });
  };
  // The app starts from a dynamic import, which may finish after the load event.
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
