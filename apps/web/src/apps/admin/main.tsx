import { startTransition, StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../../lib/i18n';
import './admin.css';
import { AdminApp } from './AdminApp';

// The staff console is desktop-only and deliberately registers no service worker.
const el = document.getElementById('root');
if (!el) throw new Error('#root missing');
// A transition: React yields to the browser while it renders, and the static shell stays up until it is ready.
const root = createRoot(el);
startTransition(() =>
  root.render(
    <StrictMode>
      <AdminApp />
    </StrictMode>,
  ),
);
