import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { CloseEscalationBody, CrisisView, EscalationDetail, EscalationFilter, EscalationList } from '@anxin/contracts';
import { access } from '../../platform/access.js';
import { requestMeta, requireActor } from '../../platform/http.js';
import type { CrisisService } from './crisis.service.js';

const idParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
/** Escalations are support's work (admins pass every staff check). */
const support = access.staff(['support']);

/** CON-4: crisis resources and alerts for the consultation's participants; the support queue in the console. */
export async function crisisRoutes(fastify: FastifyInstance, opts: { crisis: CrisisService }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { crisis } = opts;

  app.get(
    '/api/consultations/:id/crisis',
    {
      config: { access: access.member() },
      schema: {
        tags: ['consultations'],
        summary: 'Crisis resources (both participants); protocol and open escalation (doctor only) (CON-4)',
        params: idParam,
        response: { 200: CrisisView },
      },
    },
    async (req) => crisis.view(requireActor(req), req.params.id),
  );
  app.post(
    '/api/consultations/:id/crisis/acknowledge',
    {
      config: { access: access.doctor() },
      schema: {
        tags: ['consultations'],
        summary: 'The doctor has seen the crisis alert (audited)',
        params: idParam,
        response: { 200: CrisisView },
      },
    },
    async (req) => crisis.acknowledge(requireActor(req), req.params.id, requestMeta(req)),
  );

  app.get(
    '/api/admin/crisis/escalations',
    {
      config: { access: support },
      schema: {
        tags: ['admin'],
        summary: 'Crisis escalations (support; audited read, purpose crisis handling)',
        querystring: Type.Object({ status: Type.Optional(EscalationFilter) }),
        response: { 200: EscalationList },
      },
    },
    async (req) => crisis.list(requireActor(req), req.query.status ?? 'open', requestMeta(req)),
  );
  app.get(
    '/api/admin/crisis/escalations/:id',
    {
      config: { access: support },
      schema: {
        tags: ['admin'],
        summary: 'One crisis escalation, without message text (audited read)',
        params: idParam,
        response: { 200: EscalationDetail },
      },
    },
    async (req) => crisis.detail(requireActor(req), req.params.id, requestMeta(req)),
  );
  app.post(
    '/api/admin/crisis/escalations/:id/close',
    {
      config: { access: support },
      schema: {
        tags: ['admin'],
        summary: 'Close a crisis escalation with a note (audited)',
        params: idParam,
        body: CloseEscalationBody,
        response: { 200: EscalationDetail },
      },
    },
    async (req) => crisis.close(requireActor(req), req.params.id, req.body.note, requestMeta(req)),
  );
}
