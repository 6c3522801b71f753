import type { FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import { Compile } from 'typebox/compile';
import { ClientFrame, type ServerFrame } from '@anxin/contracts';
import type { WebSocket } from 'ws';
import { access } from '../platform/access.js';
import { AppError, describeError } from '../platform/errors.js';
import { requireActor, SESSION_COOKIE } from '../platform/http.js';
import type { IdentityService } from '../features/identity/identity.service.js';
import { userTopic, type ConsultationService } from '../features/consultations/consultations.service.js';
import { sessionTopic, type MessageBus } from './bus.js';
import type { CrisisService } from '../features/crisis/crisis.service.js';
import type { CallService } from '../features/calls/calls.service.js';
import { attachCallSignaling, isCallFrame } from '../features/calls/calls.signaling.js';

const validateFrame = Compile(ClientFrame);

/** Close codes: 4401 = session ended or revoked, 4403 = wrong origin. */
export const WS_SESSION_ENDED = 4401;
const WS_BAD_ORIGIN = 4403;

/**
 * The one WebSocket endpoint (CON-1): authenticated by the session cookie at the upgrade (the access guard runs on
 * it like on any route), Origin checked against our site, frames capped at 16 kB, a heartbeat, and closed within a
 * second of the session being revoked (a bus event) or at the latest at the next 30-second session check.
 */
export async function realtimeRoutes(
  fastify: FastifyInstance,
  opts: {
    consultations: ConsultationService;
    identity: IdentityService;
    bus: MessageBus;
    /** CON-4: turns `crisis` bus events (ids only) into frames for the consultation's doctor. */
    crisis?: Pick<CrisisService, 'liveFrame'>;
    /** Voice and video call signalling (CON-2): `call.*` frames go to features/calls. */
    calls: CallService;
    allowedOrigins: string[];
    heartbeatMs?: number;
  },
) {
  await fastify.register(websocket, { options: { maxPayload: 16 * 1024 } });
  const { consultations, identity, bus } = opts;
  // An upgrade refused by the guard (401/403) is answered over the raw socket, which Node no longer manages after
  // an upgrade request: close it, or every refused attempt would leave a connection open.
  fastify.addHook('onResponse', async (req, reply) => {
    if (req.raw.headers.upgrade && reply.statusCode >= 400) req.raw.socket.destroy();
  });

  fastify.get(
    '/api/ws',
    { websocket: true, config: { access: access.member() }, schema: { hide: true } },
    (socket: WebSocket, req) => {
      const actor = requireActor(req);
      const origin = req.headers.origin;
      const host = req.headers.host;
      const sameHost =
        origin !== undefined && host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
      if (!origin || !(opts.allowedOrigins.includes(origin) || sameHost)) {
        socket.close(WS_BAD_ORIGIN, 'origin not allowed');
        return;
      }
      const send = (frame: ServerFrame) => {
        if (socket.readyState === socket.OPEN) socket.send(JSON.stringify(frame));
      };
      const fail = (err: unknown, extra: { clientId?: string; consultationId?: string } = {}) => {
        const code = err instanceof AppError ? err.code : 'INTERNAL';
        if (!(err instanceof AppError)) req.log.error({ err }, 'websocket frame failed');
        send({
          type: 'error',
          code,
          message: describeError(code, req.locale, err instanceof AppError ? err.params : {}),
          ...extra,
        });
      };

      const callSignaling = attachCallSignaling({
        calls: opts.calls,
        bus,
        actor,
        locale: req.locale,
        requestId: String(req.id),
        log: req.log,
        send,
      });
      socket.on('close', (code: number) => callSignaling.close(code));

      // New messages: the event carries only ids; the content is read through the same authorised path as any
      // request. Announcements that arrive together (a commit, a burst) are fetched in one query, whatever their
      // consultations, and sent in order within each consultation; only announced messages are sent.
      const wanted = new Map<string, Set<number>>();
      let delivering = false;
      const deliver = (consultationId: string, seq: number) => {
        const seqs = wanted.get(consultationId) ?? new Set<number>();
        wanted.set(consultationId, seqs.add(seq));
        if (delivering) return;
        delivering = true;
        // After the events published together (one commit) have all arrived.
        setImmediate(() => void drainDeliveries());
      };
      const drainDeliveries = async () => {
        while (wanted.size > 0 && socket.readyState === socket.OPEN) {
          const batch: Array<{ consultationId: string; seq: number }> = [];
          for (const [consultationId, seqs] of wanted) {
            for (const seq of seqs) {
              if (batch.length >= 500) break;
              batch.push({ consultationId, seq });
              seqs.delete(seq);
            }
            if (seqs.size === 0) wanted.delete(consultationId);
          }
          try {
            for (const found of await consultations.announced(actor, batch)) {
              if ('error' in found) fail(found.error, { consultationId: found.consultationId });
              else
                for (const message of found.messages)
                  send({ type: 'message', consultationId: found.consultationId, message });
            }
          } catch (err) {
            fail(err);
          }
        }
        wanted.clear();
        delivering = false;
      };

      const unsubscribers = [
        bus.subscribe(userTopic(actor.userId), (event) => {
          if (event.type === 'message' && event.seq) {
            deliver(event.consultationId, event.seq);
          } else if (event.type === 'read' && event.seq !== undefined && event.userId) {
            send({ type: 'read', consultationId: event.consultationId, seq: event.seq, userId: event.userId });
          } else if (event.type === 'crisis' && event.escalationId && opts.crisis) {
            // Ids only on the bus: the severity is read for this doctor through the crisis service.
            opts.crisis
              .liveFrame(actor, event.escalationId)
              .then((frame) => frame && send(frame))
              .catch((err) => fail(err, { consultationId: event.consultationId }));
          } else if (event.type === 'status' && event.status) {
            send({ type: 'status', consultationId: event.consultationId, status: event.status });
          }
        }),
        bus.subscribe(sessionTopic(actor.sessionId), () => socket.close(WS_SESSION_ENDED, 'session ended')),
      ];

      // Heartbeat: a peer that stops answering pings is dropped; and the session is re-checked (expiry).
      let alive = true;
      socket.on('pong', () => (alive = true));
      const token = req.cookies[SESSION_COOKIE] ?? '';
      const timer = setInterval(() => {
        if (!alive) return socket.terminate();
        alive = false;
        socket.ping();
        identity
          .authenticate(token)
          .then((a) => {
            if (!a || a === 'expired') socket.close(WS_SESSION_ENDED, 'session ended');
          })
          .catch(() => socket.close(WS_SESSION_ENDED, 'session ended'));
      }, opts.heartbeatMs ?? 30_000);

      socket.on('close', () => {
        clearInterval(timer);
        for (const off of unsubscribers) off();
      });

      socket.on('message', (raw, isBinary) => {
        let frame: unknown;
        try {
          frame = isBinary ? null : JSON.parse(raw.toString());
        } catch {
          frame = null;
        }
        if (!validateFrame.Check(frame)) {
          send({
            type: 'error',
            code: 'VALIDATION_FAILED',
            message: describeError('VALIDATION_FAILED', req.locale, { field: 'frame', detail: 'JSON' }),
          });
          return;
        }
        if (isCallFrame(frame)) return callSignaling.handle(frame);
        const meta = { ip: req.ip, userAgent: String(req.headers['user-agent'] ?? ''), requestId: String(req.id) };
        if (frame.type === 'send') {
          consultations
            .send(actor, frame.consultationId, { clientId: frame.clientId, kind: 'text', text: frame.text }, meta)
            .then((ack) => send({ type: 'ack', consultationId: frame.consultationId, ...ack }))
            .catch((err) => fail(err, { clientId: frame.clientId, consultationId: frame.consultationId }));
        } else if (frame.type === 'sync') {
          consultations
            .messages(actor, frame.consultationId, frame.after, 500)
            .then((page) => send({ type: 'messages', consultationId: frame.consultationId, ...page }))
            .catch((err) => fail(err, { consultationId: frame.consultationId }));
        } else {
          consultations
            .markRead(actor, frame.consultationId, frame.seq)
            .catch((err) => fail(err, { consultationId: frame.consultationId }));
        }
      });

      send({ type: 'hello', userId: actor.userId });
    },
  );
}
