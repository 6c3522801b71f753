import type { ClientFrame, ServerFrame } from '@anxin/contracts';
import type { FastifyBaseLogger } from 'fastify';
import type { Actor } from '../platform/actor.js';

/** One signed-in WebSocket, as the hub hands it to the features. */
export interface SocketSession {
  actor: Actor;
  locale: 'zh-CN' | 'en';
  requestId: string;
  log: FastifyBaseLogger;
  meta: { ip: string; userAgent: string; requestId: string };
  send(frame: ServerFrame): void;
  /** Answers an error frame (code and message in the user's language); logs what is not an AppError. */
  fail(err: unknown, extra?: { clientId?: string; consultationId?: string }): void;
}

/** What a feature does on one socket: the client frames it takes, and what to do when the socket closes. */
export interface SocketAttachment {
  handles(frame: ClientFrame): boolean;
  handle(frame: ClientFrame): void;
  close?(code: number): void;
}

/**
 * A feature that speaks on the WebSocket (chat, calls, crisis alerts). The hub (ws.routes.ts) knows none of them:
 * services.ts lists them, and each attaches to every socket, subscribing to the bus topics it needs.
 */
export interface SocketFeature {
  attach(session: SocketSession): SocketAttachment;
}
