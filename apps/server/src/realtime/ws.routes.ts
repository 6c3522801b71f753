import type { FastifyInstance } from 'fastify';
import websocket from '@fastify/websocket';
import { Compile } from 'typebox/compile';
import { ClientFrame, type ServerFrame } from '@anxin/contracts';
import type { WebSocket } from 'ws';
import { access } from '../platform/access.js';
import { AppError, describeError } from '../platform/errors.js';
import { requireActor, SESSION_COOKIE } from '../platform/http.js';
import { sessionTopic, type MessageBus } from './bus.js';
import type { SocketAttachment, SocketFeature, SocketSession } from './socket.js';

const validateFrame = Compile(ClientFrame);

/** Close codes: 4401 = session ended or revoked, 4403 = wrong origin. */
export const WS_SESSION_ENDED = 4401;
const WS_BAD_ORIGIN = 4403;

/**
 * The one WebSocket endpoint: authenticated by the session cookie at the upgrade (the access guard runs on it like
 * on any route), Origin checked against our site, frames capped at 16 kB, a heartbeat, and closed within a second
 * of the session being revoked (its `session.ended` bus event) or at the latest at the next 30-second session
 * check. It knows no feature: the features services.ts lists (chat, calls, crisis alerts) attach to every socket,
 * take the client frames they handle and subscribe to the bus topics they need.
 */
export async function realtimeRoutes(
  fastify: FastifyInstance,
  opts: {
    features: readonly SocketFeature[];
    bus: MessageBus;
    /** The session behind a cookie token, re-checked on every heartbeat: falsy or 'expired' closes the socket. */
    authenticate(token: string): Promise<unknown>;
    allowedOrigins: string[];
    heartbeatMs?: number;
  },
) {
  await fastify.register(websocket, { options: { maxPayload: 16 * 1024 } });
  const { bus } = opts;
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
      const fail: SocketSession['fail'] = (err, extra = {}) => {
        const code = err instanceof AppError ? err.code : 'INTERNAL';
        if (!(err instanceof AppError)) req.log.error({ err }, 'websocket frame failed');
        send({
          type: 'error',
          code,
          message: describeError(code, req.locale, err instanceof AppError ? err.params : {}),
          ...extra,
        });
      };
      const session: SocketSession = {
        actor,
        locale: req.locale,
        requestId: String(req.id),
        log: req.log,
        meta: { ip: req.ip, userAgent: String(req.headers['user-agent'] ?? ''), requestId: String(req.id) },
        send,
        fail,
      };
      const attached: SocketAttachment[] = opts.features.map((f) => f.attach(session));
      const offSession = bus.subscribe(sessionTopic(actor.sessionId), (event) => {
        if (event.type === 'session.ended') socket.close(WS_SESSION_ENDED, 'session ended');
      });

      // Heartbeat: a peer that stops answering pings is dropped; and the session is re-checked (expiry).
      let alive = true;
      socket.on('pong', () => (alive = true));
      const token = req.cookies[SESSION_COOKIE] ?? '';
      const timer = setInterval(() => {
        if (!alive) return socket.terminate();
        alive = false;
        socket.ping();
        opts
          .authenticate(token)
          .then((a) => {
            if (!a || a === 'expired') socket.close(WS_SESSION_ENDED, 'session ended');
          })
          .catch(() => socket.close(WS_SESSION_ENDED, 'session ended'));
      }, opts.heartbeatMs ?? 30_000);

      socket.on('close', (code: number) => {
        clearInterval(timer);
        offSession();
        for (const a of attached) a.close?.(code);
      });

      socket.on('message', (raw, isBinary) => {
        let frame: unknown;
        try {
          frame = isBinary ? null : JSON.parse(raw.toString());
        } catch {
          frame = null;
        }
        const handler = validateFrame.Check(frame) ? attached.find((a) => a.handles(frame as ClientFrame)) : undefined;
        if (!handler) {
          send({
            type: 'error',
            code: 'VALIDATION_FAILED',
            message: describeError('VALIDATION_FAILED', req.locale, { field: 'frame', detail: 'JSON' }),
          });
          return;
        }
        handler.handle(frame as ClientFrame);
      });

      send({ type: 'hello', userId: actor.userId });
    },
  );
}
