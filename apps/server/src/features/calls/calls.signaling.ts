import crypto from 'node:crypto';
import type { CallClientFrame, ClientFrame, ServerFrame } from '@anxin/contracts';
import type { FastifyBaseLogger } from 'fastify';
import { AppError, describeError } from '../../platform/errors.js';
import type { BusEvent, MessageBus } from '../../realtime/bus.js';
import type { SocketFeature } from '../../realtime/socket.js';
import { userTopic } from '../consultations/consultations.service.js';
import type { Actor } from '../identity/identity.service.js';
import { callUserTopic, type CallContext, type CallService } from './calls.service.js';

export function isCallFrame(frame: ClientFrame): frame is CallClientFrame {
  return frame.type.startsWith('call.');
}

/**
 * Call signalling on one WebSocket (CON-2). ws.routes.ts attaches this to every socket and hands it the `call.*`
 * frames; it answers with `call.*` frames only. Each socket is its own connection id, so offers, answers and
 * candidates reach exactly the device that called or answered, not every tab of the person.
 */
export function attachCallSignaling(opts: {
  calls: CallService;
  bus: MessageBus;
  actor: Actor;
  locale: 'zh-CN' | 'en';
  requestId: string;
  log: FastifyBaseLogger;
  send: (frame: ServerFrame) => void;
}) {
  const { calls, bus, actor, send } = opts;
  const ctx: CallContext = { actor, connId: crypto.randomUUID(), requestId: opts.requestId };
  const relay = (event: BusEvent) => {
    if (event.type === 'call') send(event.call as ServerFrame);
  };
  calls.connectionOpened(ctx, send);
  const unsubscribe = [
    bus.subscribe(callUserTopic(actor.userId), relay),
    // The doctor ended the consultation: its call ends too.
    bus.subscribe(userTopic(actor.userId), (event) => {
      if (event.type === 'status' && event.status !== 'active' && event.status !== 'requested')
        calls.consultationClosed(event.consultationId).catch((err) => opts.log.error({ err }, 'closing calls failed'));
    }),
  ];

  const fail = (err: unknown, frame: CallClientFrame) => {
    const code = err instanceof AppError ? err.code : 'INTERNAL';
    if (!(err instanceof AppError)) opts.log.error({ err }, 'call frame failed');
    send({
      type: 'call.error',
      code,
      message: describeError(code, opts.locale, err instanceof AppError ? err.params : {}),
      ...('callId' in frame ? { callId: frame.callId } : { consultationId: frame.consultationId }),
      ...(err instanceof AppError && typeof err.params.seconds === 'number'
        ? { retryAfterSeconds: err.params.seconds }
        : {}),
    });
  };

  const run = (frame: CallClientFrame): Promise<void> => {
    switch (frame.type) {
      case 'call.invite':
        return calls.invite(ctx, frame.consultationId, frame.media);
      case 'call.ringing':
        return calls.ring(ctx, frame.callId);
      case 'call.accept':
        return calls.accept(ctx, frame.callId);
      case 'call.decline':
        return calls.decline(ctx, frame.callId, frame.reason);
      case 'call.cancel':
        return calls.cancel(ctx, frame.callId);
      case 'call.hangup':
        return calls.hangup(ctx, frame.callId, frame.failed ?? false);
      case 'call.resume':
        return calls.resume(ctx, frame.callId);
      default:
        return calls.relay(ctx, frame);
    }
  };

  return {
    handle(frame: CallClientFrame) {
      run(frame).catch((err) => fail(err, frame));
    },
    /** 1000/1001: the page was closed or left on purpose; anything else is a dropped connection. */
    close(code: number) {
      for (const off of unsubscribe) off();
      calls.connectionClosed(ctx, code === 1000 || code === 1001);
    },
  };
}

/** Calls on the WebSocket (CON-2): the `call.*` frames of every socket go to its own signalling. */
export function callSockets(deps: { calls: CallService; bus: MessageBus }): SocketFeature {
  return {
    attach(session) {
      const signaling = attachCallSignaling({ ...deps, ...session });
      return {
        handles: isCallFrame,
        handle: (frame) => signaling.handle(frame as CallClientFrame),
        close: (code) => signaling.close(code),
      };
    },
  };
}
