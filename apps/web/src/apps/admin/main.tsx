import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../../lib/i18n';
import './admin.css';
import { AdminApp } from './AdminApp';

// The staff console is desktop-only and deliberately registers no service worker.
const el = document.getElementById('root');
if (!el) throw new Error('#root missing');
createRoot(el).render(
  <StrictMode>
    <AdminApp />
  </StrictMode>,
);
