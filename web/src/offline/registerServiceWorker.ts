// Registers the service worker that VitePWA builds (dist/web/sw.js): it makes the app
// installable and lets already-opened vouchers open offline (docs/web.md). Only in a built app:
// Vite's dev server (import.meta.hot) has no sw.js, and a worker there would serve stale code.
// (Not `import.meta.env.PROD`: a build made under NODE_ENV=test, as the browser tests' is, has
// PROD false but ships the worker all the same.)

/** Registers /sw.js for the whole app once the page has loaded (the first visit stays fast). */
export function registerServiceWorker(): void {
  if (import.meta.hot || !('serviceWorker' in navigator)) return;
  const register = () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
      // No worker (blocked, private mode, an insecure origin): the app works online as before.
    });
  };
  if (document.readyState === 'complete') register();
  else window.addEventListener('load', register, { once: true });
}
