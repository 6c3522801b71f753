/** What the console frame needs without loading the rights pages: who sees the menu item, and its label. */
import { registerBundle } from '../onboarding/bundle';
import { useRightsT } from './i18n';
import { rightsAdminLocales } from './locales';

registerBundle(rightsAdminLocales);

export { canSeeRights } from './model';

/** The side-menu label (the layout shows the item only to roles that may use it). */
export function RightsMenuLabel() {
  const t = useRightsT();
  return <span data-testid="menu-rights">{t('rightsAdmin.menu')}</span>;
}
