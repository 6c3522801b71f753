import { createRealtime, socketUrl } from './realtime';

/** The app's one connection (opened by RealtimeProvider for a signed-in doctor or patient). */
export const realtime = createRealtime({ url: () => socketUrl(window.location) });
