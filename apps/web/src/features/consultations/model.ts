/**
 * Pure chat and queue logic (no React, no I/O): merging messages by sequence number, the unacknowledged
 * ("pending") messages and their timeouts, and the doctor's queue. The WebSocket itself is lib/realtime's.
 */
import type { ConsultationSummary, MediaKind, Message } from '@anxin/contracts';

/** A message typed on this device that the server has not acknowledged yet. Lives in memory only. */
export interface PendingMessage {
  /** Chosen once; every resend uses it again so the server stores the message once. */
  clientId: string;
  text: string;
  /** An image or voice note waiting to be uploaded (kept in memory only, like the text). */
  file?: PendingFile;
  status: 'sending' | 'failed';
  /** When the current attempt started (epoch ms): after `SEND_TIMEOUT_MS` without an ack it counts as failed. */
  since: number;
  /** The server refused it (e.g. the consultation has ended): resending is pointless until something changes. */
  error?: string;
}

export interface PendingFile {
  kind: MediaKind;
  blob: Blob;
  /** Voice notes: the recorded length. */
  durationMs?: number;
}

export const SEND_TIMEOUT_MS = 10_000;
/** Uploads over a slow mobile connection take longer than a text message: they fail after 60 s. */
export const UPLOAD_TIMEOUT_MS = 60_000;
export const VOICE_NOTE_MAX_MS = 60_000;
export const POLL_INTERVAL_MS = 3_000;
/** Adds `incoming` to `current` once per `seq`, in `seq` order. Returns `current` itself when nothing is new. */
export function mergeMessages(current: readonly Message[], incoming: readonly Message[]): readonly Message[] {
  if (incoming.length === 0) return current;
  const bySeq = new Map<number, Message>();
  for (const m of current) bySeq.set(m.seq, m);
  let changed = false;
  for (const m of incoming) {
    if (!bySeq.has(m.seq)) {
      bySeq.set(m.seq, m);
      changed = true;
    }
  }
  if (!changed) return current;
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/**
 * The highest `seq` up to which this device has every message (sequence numbers start at 1 and have no gaps):
 * what to ask for with `after=` so a message pushed out of order never hides a missed one.
 */
export function contiguousSeq(messages: readonly Message[]): number {
  let expected = 1;
  for (const m of messages) {
    if (m.seq < expected) continue;
    if (m.seq !== expected) break;
    expected++;
  }
  return expected - 1;
}

export function maxSeq(messages: readonly Message[]): number {
  return messages.length === 0 ? 0 : (messages[messages.length - 1]?.seq ?? 0);
}

export function addPending(
  pending: readonly PendingMessage[],
  clientId: string,
  text: string,
  now: number,
  file?: PendingFile,
): readonly PendingMessage[] {
  return [...pending, { clientId, text, status: 'sending', since: now, ...(file ? { file } : {}) }];
}

/** Drops the pending messages the server has stored (by ack or because they came back in a sync). */
export function settlePending(
  pending: readonly PendingMessage[],
  clientIds: Iterable<string>,
): readonly PendingMessage[] {
  const done = new Set(clientIds);
  if (!pending.some((p) => done.has(p.clientId))) return pending;
  return pending.filter((p) => !done.has(p.clientId));
}

/** Marks attempts older than `timeoutMs` as failed. Returns `pending` itself when nothing changed. */
export function expirePending(
  pending: readonly PendingMessage[],
  now: number,
  timeoutMs = SEND_TIMEOUT_MS,
): readonly PendingMessage[] {
  const expired = (p: PendingMessage) =>
    p.status === 'sending' && now - p.since >= (p.file ? Math.max(timeoutMs, UPLOAD_TIMEOUT_MS) : timeoutMs);
  if (!pending.some(expired)) return pending;
  return pending.map((p) => (expired(p) ? { ...p, status: 'failed' as const } : p));
}

export function failPending(
  pending: readonly PendingMessage[],
  clientId: string,
  error?: string,
): readonly PendingMessage[] {
  return pending.map((p) =>
    p.clientId === clientId ? { ...p, status: 'failed' as const, ...(error ? { error } : {}) } : p,
  );
}

/** A new attempt (same clientId): back to "sending" with a fresh timeout. */
export function restartPending(
  pending: readonly PendingMessage[],
  clientIds: Iterable<string>,
  now: number,
): readonly PendingMessage[] {
  const ids = new Set(clientIds);
  return pending.map((p) => {
    if (!ids.has(p.clientId)) return p;
    const { error: _error, ...rest } = p;
    return { ...rest, status: 'sending' as const, since: now };
  });
}

/** The pending messages worth sending again after a reconnect: everything the server did not refuse. */
export function resendable(pending: readonly PendingMessage[]): PendingMessage[] {
  return pending.filter((p) => p.error === undefined);
}

/** The stored message an ack stands for, built from the pending text (the server does not echo it back). */
export function ackedMessage(
  ack: { seq: number; clientId: string; createdAt: string },
  pending: PendingMessage,
  senderId: string,
): Message {
  const file = pending.file;
  return {
    seq: ack.seq,
    clientId: ack.clientId,
    senderId,
    kind: file ? file.kind : 'text',
    text: file ? '' : pending.text,
    media: file
      ? {
          contentType: file.blob.type,
          byteSize: file.blob.size,
          width: null,
          height: null,
          durationMs: file.durationMs ?? null,
        }
      : null,
    createdAt: ack.createdAt,
  };
}

export interface Queue {
  requested: ConsultationSummary[];
  active: ConsultationSummary[];
  ended: ConsultationSummary[];
}

const time = (iso: string | null) => (iso ? Date.parse(iso) || 0 : 0);

/**
 * The doctor's work queue: waiting longest first; active with the latest activity first; recently ended first
 * (only `recentEnded` of them).
 */
export function groupQueue(list: readonly ConsultationSummary[], recentEnded = 20): Queue {
  const requested = list.filter((c) => c.status === 'requested').sort((a, b) => time(a.createdAt) - time(b.createdAt));
  const active = list
    .filter((c) => c.status === 'active')
    .sort((a, b) => time(b.lastMessageAt ?? b.acceptedAt) - time(a.lastMessageAt ?? a.acceptedAt));
  const ended = list
    .filter((c) => c.status === 'ended' || c.status === 'declined')
    .sort((a, b) => time(b.endedAt ?? b.createdAt) - time(a.endedAt ?? a.createdAt))
    .slice(0, recentEnded);
  return { requested, active, ended };
}

/** Whole minutes since `iso` (never negative). */
export function minutesSince(iso: string, now: number): number {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return 0;
  return Math.max(0, Math.floor((now - t) / 60_000));
}

/** Checks what a consultation concern must look like on the server (2–1000 chars, two non-blanks in a row). */
export function isValidConcern(text: string): boolean {
  return text.length >= 2 && text.length <= 1000 && /\S\S/.test(text);
}

/**
 * A v4 UUID for a message's clientId. `crypto.randomUUID` exists only in secure contexts (https, localhost), so a
 * phone on plain http in a LAN test falls back to `getRandomValues`, which is available everywhere.
 */
export function newClientId(c: Pick<Crypto, 'getRandomValues'> & { randomUUID?: () => string } = crypto): string {
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const b = c.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The recording format this browser can make, best first: Opus in WebM (Chrome, Firefox, Android), else AAC in MP4 (Safari). */
export function pickRecorderType(isSupported: (type: string) => boolean): string | undefined {
  return ['audio/webm;codecs=opus', 'audio/webm', 'audio/mp4', 'audio/ogg;codecs=opus'].find((t) => isSupported(t));
}

/** "0:07", "1:00": the length of a voice note. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/** How wide a voice-note bubble is drawn (a longer note is wider), as a percentage of the maximum. */
export function voiceBubbleWidth(ms: number): number {
  return Math.round(30 + 70 * Math.min(1, Math.max(0, ms) / VOICE_NOTE_MAX_MS));
}

export interface PatientGroup {
  patientId: string;
  name: string | null;
  consultations: ConsultationSummary[];
  /** Newest activity across their consultations (for ordering). */
  lastAt: number;
  active: number;
  unread: number;
}

/** The doctor's patients: one entry per patient with their consultations, newest first; most recent patients first. */
export function groupPatients(list: readonly ConsultationSummary[]): PatientGroup[] {
  const groups = new Map<string, PatientGroup>();
  for (const c of list) {
    const at = Math.max(time(c.createdAt), time(c.lastMessageAt), time(c.endedAt));
    const g = groups.get(c.patient.id) ?? {
      patientId: c.patient.id,
      name: null,
      consultations: [],
      lastAt: 0,
      active: 0,
      unread: 0,
    };
    g.name = g.name ?? c.patient.name;
    g.consultations.push(c);
    g.lastAt = Math.max(g.lastAt, at);
    if (c.status === 'active' || c.status === 'requested') g.active++;
    g.unread += c.unread;
    groups.set(c.patient.id, g);
  }
  for (const g of groups.values()) g.consultations.sort((a, b) => time(b.createdAt) - time(a.createdAt));
  return [...groups.values()].sort((a, b) => b.lastAt - a.lastAt);
}
