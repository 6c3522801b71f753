import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { CallList, IceConfig } from '@anxin/contracts';
import { access } from '../../platform/access.js';
import { requireActor } from '../../platform/http.js';
import type { CallService } from './calls.service.js';

const tags = ['calls'];

/**
 * Call metadata and ICE configuration (CON-2). There is deliberately no route that takes, returns or stores audio,
 * video or session descriptions: signalling runs over the WebSocket and is relayed, media goes peer to peer.
 */
export async function callRoutes(fastify: FastifyInstance, opts: { calls: CallService }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { calls } = opts;
  // Calls left ringing or open by a stopped server are ended or given time to resume; timers stop with the app.
  fastify.addHook('onReady', async () => calls.start(fastify.log));
  fastify.addHook('onClose', async () => calls.stop());

  app.get(
    '/api/consultations/:id/calls',
    {
      config: { access: access.member() },
      schema: {
        tags,
        summary: 'Calls of a consultation I take part in, for its timeline (metadata only; calls are never recorded)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: CallList },
      },
    },
    async (req) => ({ calls: await calls.list(requireActor(req), req.params.id) }),
  );
  app.get(
    '/api/calls/:callId/ice',
    {
      config: { access: access.member() },
      schema: {
        tags,
        summary: 'Fresh ICE servers and short-lived TURN credentials for a participant of an open call',
        params: Type.Object({ callId: Type.String({ format: 'uuid' }) }),
        response: { 200: IceConfig },
      },
    },
    async (req, reply) => {
      reply.header('cache-control', 'no-store');
      return calls.iceFor(requireActor(req), req.params.callId);
    },
  );
}
