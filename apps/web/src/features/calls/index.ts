/** Voice and video calls (CON-2, PER-1): the app-shell provider, chat-header buttons and timeline entries. */
import { registerBundle } from '../onboarding/bundle';
import { callsLocales } from './locales';
import './calls.css';

registerBundle(callsLocales);

export { CallProvider, useCalls } from './CallProvider';
export { CallButtons } from './CallButtons';
export { CallEntry, useCallRecords } from './CallTimeline';
export { mergeTimeline } from './model';
