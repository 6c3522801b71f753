import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { DevOutbox } from '@anxin/contracts';
import { maskPhone } from '@anxin/domain';
import { access } from '../../platform/access.js';
import { ConsoleSmsProvider } from './sms/console-sms.js';
import type { SmsProvider } from './sms/sms-provider.js';

/** Staff-only view of the console SMS provider's outbox: codes that were NOT sent as SMS (development only). */
export async function devOutboxRoutes(fastify: FastifyInstance, opts: { sms: SmsProvider }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/admin/dev-outbox',
    {
      config: { access: access.staff('any') },
      schema: {
        tags: ['identity'],
        summary: 'Development SMS outbox (console provider only)',
        response: { 200: DevOutbox },
      },
    },
    async () => {
      if (!(opts.sms instanceof ConsoleSmsProvider)) return { enabled: false, messages: [] };
      return {
        enabled: true,
        messages: opts.sms
          .outbox()
          .map((m) => ({ id: m.id, to: maskPhone(m.to), text: m.text, sentAt: m.sentAt.toISOString() })),
      };
    },
  );
}
