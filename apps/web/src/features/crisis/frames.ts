import type { Realtime } from '../../lib/realtime';
import { isCrisisFrameFor, type CrisisFrame } from './model';

/**
 * CON-4: the doctor's live crisis alerts for one consultation, from the app's one WebSocket (lib/realtime): the
 * crisis feature subscribes to `crisis` frames itself, and the chat knows nothing about crisis handling.
 */
export function onCrisisFrame(
  source: Pick<Realtime, 'subscribe'>,
  consultationId: string,
  listener: (frame: CrisisFrame) => void,
): () => void {
  return source.subscribe('crisis', (frame) => {
    if (isCrisisFrameFor(frame, consultationId)) listener(frame);
  });
}
