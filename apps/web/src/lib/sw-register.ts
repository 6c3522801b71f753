/**
 * Registers the hand-written service worker (public/sw.js) for offline start. Production builds only:
 * in dev a worker would serve stale modules. Of the API the worker keeps only the signed-in doctor's last work
 * queue (dropped on sign-in, sign-out and 401) and the public policy texts; see public/sw.js.
 */
export function registerServiceWorker(scope: '/' | '/patient/'): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope }).catch((err: unknown) => {
      console.warn('Service worker registration failed; the app still works online.', err);
    });
  });
}
