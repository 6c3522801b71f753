import type { MessageBus } from '../../realtime/bus.js';
import type { SocketFeature } from '../../realtime/socket.js';
import { userTopic } from '../consultations/consultations.service.js';
import type { CrisisService } from './crisis.service.js';

/**
 * Crisis alerts on the doctor's WebSocket (CON-4): the bus carries the escalation's id only; the frame (with its
 * severity) is read for this doctor through the crisis service, which answers nothing to anyone else.
 */
export function crisisSockets(deps: { crisis: Pick<CrisisService, 'liveFrame'>; bus: MessageBus }): SocketFeature {
  return {
    attach({ actor, send, fail }) {
      const off = deps.bus.subscribe(userTopic(actor.userId), (event) => {
        if (event.type !== 'crisis') return;
        deps.crisis
          .liveFrame(actor, event.escalationId)
          .then((frame) => frame && send(frame))
          .catch((err) => fail(err, { consultationId: event.consultationId }));
      });
      return { handles: () => false, handle: () => undefined, close: off };
    },
  };
}
