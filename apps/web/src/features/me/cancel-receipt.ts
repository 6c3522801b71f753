/**
 * What the signed-out confirmation after a cancellation shows (RIG-5). The server ends every session of the person
 * when it accepts the request, so this view must work without one: it reads only what is kept here, for this tab
 * (sessionStorage survives a reload, not closing the tab), and makes no API call.
 */
import { useSyncExternalStore } from 'react';

export interface CancellationReceipt {
  dueOn: string;
  dueProvisional: boolean;
  /** Absolute (location.origin + the server's path), or null when the server gave none. */
  certificateUrl: string | null;
}

interface ReceiptState {
  receipt: CancellationReceipt | null;
  /** The request is on its way: the session may end (WebSocket) before its answer arrives. */
  pending: boolean;
  /** Accepted in this page's lifetime: the confirmation may sign this app out. */
  fresh: boolean;
}

const KEY = 'anxin.rights.cancelled';
const listeners = new Set<() => void>();
let state: ReceiptState = { receipt: read(), pending: false, fresh: false };

function read(): CancellationReceipt | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as CancellationReceipt) : null;
  } catch {
    return null;
  }
}

function set(next: ReceiptState): void {
  state = next;
  for (const l of listeners) l();
}

export function markCancellationPending(pending: boolean): void {
  set({ ...state, pending });
}

export function saveReceipt(receipt: CancellationReceipt): void {
  try {
    sessionStorage.setItem(KEY, JSON.stringify(receipt));
  } catch {
    // No storage (private mode): the in-memory copy lasts until the page is reloaded.
  }
  set({ receipt, pending: false, fresh: true });
}

export function clearReceipt(): void {
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // nothing stored
  }
  set({ receipt: null, pending: false, fresh: false });
}

export function useReceipt(): ReceiptState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => state,
  );
}
