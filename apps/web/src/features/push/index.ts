/** Push notifications: the settings page (doctor and patient apps) and its entry on "我的". */
import { registerBundle } from '../onboarding/bundle';
import { pushLocales } from './locales';
import './push.css';

registerBundle(pushLocales);

export { NotificationsPage } from './NotificationsPage';
export { usePushT } from './i18n';
export { NotificationsIcon } from './NotificationsIcon';
