/** The app's one WebSocket (`/api/ws`): chat, call signalling and crisis alerts subscribe to it. */
export { realtime } from './instance';
export { RealtimeProvider, useRealtime, useRealtimeState } from './RealtimeProvider';
export {
  createRealtime,
  reconnectDelay,
  socketUrl,
  type FrameOf,
  type FrameType,
  type Realtime,
  type RealtimeState,
} from './realtime';
