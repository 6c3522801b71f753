/** In-app notices: the bell on the home page and the list. */
import { registerBundle } from '../onboarding/bundle';
import { noticesLocales } from './locales';
import './notices.css';

registerBundle(noticesLocales);

export { NoticesBell } from './NoticesBell';
export { NoticesPage } from './NoticesPage';
