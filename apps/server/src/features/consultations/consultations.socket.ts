import type { MessageBus } from '../../realtime/bus.js';
import type { SocketFeature } from '../../realtime/socket.js';
import { userTopic, type ConsultationService } from './consultations.service.js';

/**
 * Chat on the WebSocket (CON-1): `send`, `sync` and `read` frames in; new messages, read receipts and status
 * changes out. The bus event carries only ids: the content is read through the same authorised path as any
 * request. Announcements that arrive together (a commit, a burst) are fetched in one query, whatever their
 * consultations, and sent in order within each consultation; only announced messages are sent.
 */
export function consultationSockets(deps: { consultations: ConsultationService; bus: MessageBus }): SocketFeature {
  const { consultations, bus } = deps;
  return {
    attach(session) {
      const { actor, send, fail } = session;
      let open = true;
      const wanted = new Map<string, Set<number>>();
      let delivering = false;
      const drainDeliveries = async () => {
        while (wanted.size > 0 && open) {
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
      const deliver = (consultationId: string, seq: number) => {
        const seqs = wanted.get(consultationId) ?? new Set<number>();
        wanted.set(consultationId, seqs.add(seq));
        if (delivering) return;
        delivering = true;
        // After the events published together (one commit) have all arrived.
        setImmediate(() => void drainDeliveries());
      };

      const off = bus.subscribe(userTopic(actor.userId), (event) => {
        if (event.type === 'message') deliver(event.consultationId, event.seq);
        else if (event.type === 'read')
          send({ type: 'read', consultationId: event.consultationId, seq: event.seq, userId: event.userId });
        else if (event.type === 'status')
          send({ type: 'status', consultationId: event.consultationId, status: event.status });
      });

      return {
        handles: (frame) => frame.type === 'send' || frame.type === 'sync' || frame.type === 'read',
        handle(frame) {
          if (frame.type === 'send') {
            consultations
              .send(
                actor,
                frame.consultationId,
                { clientId: frame.clientId, kind: 'text', text: frame.text },
                session.meta,
              )
              .then((ack) => send({ type: 'ack', consultationId: frame.consultationId, ...ack }))
              .catch((err) => fail(err, { clientId: frame.clientId, consultationId: frame.consultationId }));
          } else if (frame.type === 'sync') {
            consultations
              .messages(actor, frame.consultationId, frame.after, 500)
              .then((page) => send({ type: 'messages', consultationId: frame.consultationId, ...page }))
              .catch((err) => fail(err, { consultationId: frame.consultationId }));
          } else if (frame.type === 'read') {
            consultations
              .markRead(actor, frame.consultationId, frame.seq)
              .catch((err) => fail(err, { consultationId: frame.consultationId }));
          }
        },
        close() {
          open = false;
          off();
        },
      };
    },
  };
}
