import Type from 'typebox';
import { Message } from './consultations.js';
import { CallClientFrames, type CallServerFrame } from './calls.js';

/**
 * WebSocket frames on `GET /api/ws` (JSON text frames). The socket is authenticated by the session cookie at the
 * upgrade and checks Origin; it closes (code 4401) when the session ends or is revoked.
 */
export const ClientFrame = Type.Union([
  /** Send a message; answered by `ack` after it is stored, or `error`. Resending the same clientId is safe. */
  Type.Object({
    type: Type.Literal('send'),
    consultationId: Type.String({ format: 'uuid' }),
    clientId: Type.String({ format: 'uuid' }),
    kind: Type.Literal('text'),
    text: Type.String({ minLength: 1, maxLength: 4000 }),
  }),
  /** Ask for everything after a sequence number; answered by `messages`. */
  Type.Object({
    type: Type.Literal('sync'),
    consultationId: Type.String({ format: 'uuid' }),
    after: Type.Integer({ minimum: 0 }),
  }),
  /** Read receipt. */
  Type.Object({
    type: Type.Literal('read'),
    consultationId: Type.String({ format: 'uuid' }),
    seq: Type.Integer({ minimum: 0 }),
  }),
  /** Voice and video call signalling (CON-2), see calls.ts. */
  ...CallClientFrames,
]);
export type ClientFrame = Type.Static<typeof ClientFrame>;

export type ServerFrame =
  | { type: 'hello'; userId: string }
  | { type: 'ack'; consultationId: string; clientId: string; seq: number; createdAt: string; duplicate: boolean }
  | { type: 'messages'; consultationId: string; messages: Message[]; lastSeq: number }
  /** A new message in one of my consultations (sent by the other participant), pushed as it is stored. */
  | { type: 'message'; consultationId: string; message: Message }
  | { type: 'read'; consultationId: string; seq: number; userId: string }
  | { type: 'status'; consultationId: string; status: string }
  /** CON-4, to the doctor only: a patient's message showed signs of risk (see GET …/crisis for the rest). */
  | { type: 'crisis'; consultationId: string; escalationId: string; severity: 'acute' | 'concern' }
  | { type: 'error'; code: string; message: string; clientId?: string; consultationId?: string }
  | CallServerFrame;
