import { unstableSetRender } from 'antd-mobile';
import { startTransition, StrictMode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import '../../lib/i18n';
import { registerServiceWorker } from '../../lib/sw-register';
import type { MobileApp as AppName } from '../../lib/storage';
import '../../ui/mobile/mobile.css';
import { MobileApp } from './MobileApp';

// antd-mobile's imperative Toast/Dialog render with the legacy API unless given React 19's createRoot.
unstableSetRender((node, container) => {
  const host = container as (Element | DocumentFragment) & { _anxinRoot?: Root };
  host._anxinRoot ??= createRoot(container);
  const root = host._anxinRoot;
  root.render(node);
  return async () => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    root.unmount();
    delete host._anxinRoot;
  };
});

export function mountMobileApp(app: AppName): void {
  document.documentElement.dataset.app = app;
  const el = document.getElementById('root');
  if (!el) throw new Error('#root missing');
  // Rendered as a transition: React yields to the browser every few milliseconds instead of blocking the main
  // thread for the whole first screen (the static shell in index.html stays up until it is ready).
  const root = createRoot(el);
  startTransition(() =>
    root.render(
      <StrictMode>
        <MobileApp app={app} />
      </StrictMode>,
    ),
  );
  registerServiceWorker(app === 'doctor' ? '/' : '/patient/');
}
