import type { ServerFrame } from '@anxin/contracts';
import type { CrisisFrame } from './model';

type Listener = (frame: CrisisFrame) => void;
const listeners = new Set<Listener>();

/**
 * The chat's WebSocket hands `crisis` frames here (one line in useChat), and `useCrisis` listens: the crisis
 * feature needs no socket of its own and the chat knows nothing about crisis handling.
 */
export function routeCrisisFrame(frame: ServerFrame): void {
  if (frame.type !== 'crisis') return;
  for (const listener of listeners) listener(frame);
}

export function onCrisisFrame(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
