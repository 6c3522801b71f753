import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { NoticeList, Ok } from '@anxin/contracts';
import { access } from '../../platform/access.js';
import { requireActor } from '../../platform/http.js';
import type { NoticeService } from './notices.service.js';

export async function noticeRoutes(fastify: FastifyInstance, opts: { notices: NoticeService }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/me/notices',
    {
      config: { access: access.anyUser() },
      schema: { tags: ['notices'], summary: 'In-app notices', response: { 200: NoticeList } },
    },
    async (req) => opts.notices.list(requireActor(req).userId),
  );
  app.post(
    '/api/me/notices/:id/read',
    {
      config: { access: access.anyUser() },
      schema: {
        tags: ['notices'],
        summary: 'Mark a notice read',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: Ok },
      },
    },
    async (req) => {
      await opts.notices.markRead(requireActor(req).userId, req.params.id);
      return { ok: true as const };
    },
  );
}
