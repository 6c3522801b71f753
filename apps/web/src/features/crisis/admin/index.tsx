/**
 * CON-4 screens of the staff console: support's queue of crisis escalations and one escalation's detail.
 * Importing this module registers the feature's copy (zh-CN / en) with i18next.
 */
import type { ReactNode } from 'react';
import { registerBundle } from '../../onboarding/bundle';
import { Forbidden } from '../../admin/Forbidden';
import { useMe } from '../../session/SessionContext';
import { useCrisisT } from '../i18n';
import { crisisLocales } from '../locales';
import { canHandleCrisis } from '../model';
import './admin.css';

registerBundle(crisisLocales);

export { canHandleCrisis } from '../model';
export { EscalationDetailPage } from './EscalationDetailPage';
export { EscalationsPage } from './EscalationsPage';

/** Support and admins only; anyone else reaching the route sees the console's 403 page. */
export function CrisisAccess({ children }: { children: ReactNode }) {
  const me = useMe();
  const t = useCrisisT();
  if (!canHandleCrisis(me.roles)) return <Forbidden detail={t('crisis.admin.forbidden')} />;
  return <>{children}</>;
}

/** The side-menu label (the layout shows the item only to roles that may use it). */
export function CrisisMenuLabel() {
  const t = useCrisisT();
  return <span data-testid="menu-crisis">{t('crisis.admin.menu')}</span>;
}
