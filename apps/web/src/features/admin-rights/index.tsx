/**
 * Issue 11 screens of the staff console: data-subject requests (queue, detail, entry on someone's behalf), the
 * holiday calendar due dates are counted with, and legal holds. Importing this module registers the copy.
 */
import type { ReactNode } from 'react';
import { Forbidden } from '../admin/Forbidden';
import { registerBundle } from '../onboarding/bundle';
import { useMe } from '../session/SessionContext';
import { useRightsT } from './i18n';
import { rightsAdminLocales } from './locales';
import { canSeeRights, isPrivacyOfficer } from './model';

registerBundle(rightsAdminLocales);

export { canSeeRights, isPrivacyOfficer } from './model';
export { RightsCalendarPage } from './RightsCalendarPage';
export { RightsDetailPage } from './RightsDetailPage';
export { RightsHoldsPage } from './RightsHoldsPage';
export { RightsNewPage } from './RightsNewPage';
export { RightsQueuePage } from './RightsQueuePage';

/** Privacy officer, support and admins; anyone else sees the console's 403 page. */
export function RightsAccess({ children }: { children: ReactNode }) {
  const me = useMe();
  const t = useRightsT();
  if (!canSeeRights(me.roles)) return <Forbidden detail={t('rightsAdmin.forbidden')} />;
  return <>{children}</>;
}

/** The privacy officer only (calendar, legal holds). */
export function RightsOfficerAccess({ children }: { children: ReactNode }) {
  const me = useMe();
  const t = useRightsT();
  if (!isPrivacyOfficer(me.roles)) return <Forbidden detail={t('rightsAdmin.forbiddenOfficer')} />;
  return <>{children}</>;
}
