import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  CalendarOverview,
  CalendarYearNotice,
  CancellationPreview,
  CompleteRightsRequestBody,
  CreateRightsRequestBody,
  CreatedRightsRequest,
  DataHeld,
  LegalHold,
  RefuseRightsRequestBody,
  RightsNoteBody,
  RightsRequest,
  RightsRequestList,
  StaffCreateRightsRequestBody,
  StaffRightsRequest,
  StaffRightsRequestDetail,
  StaffRightsRequestList,
  StepUpCodeReply,
} from '@anxin/contracts';
import { access } from '../../platform/access.js';
import { clearSessionCookie, requestMeta, requireActor } from '../../platform/http.js';
import type { IdentityService } from '../../features/identity/identity.service.js';
import type { RightsService } from './rights.service.js';

const idParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
/** Rights stay open to a person who has not accepted a new policy version (they may want to leave). */
const person = access.member({ allowPolicyPending: true });
const officer = access.staff(['privacy_officer']);
/** Support enters requests on someone's behalf and sees the queue; the privacy officer decides. */
const officerOrSupport = access.staff(['privacy_officer', 'support']);
const certificateHeaders = (id: string) => ({
  'content-type': 'application/json; charset=utf-8',
  'content-disposition': `attachment; filename="anxin-deletion-certificate-${id}.json"`,
  'cache-control': 'no-store',
});

/** Issue 11: data-subject rights for doctors and patients, and the privacy officer's console. */
export async function rightsRoutes(
  fastify: FastifyInstance,
  opts: { rights: RightsService; identity: IdentityService; secureCookies: boolean },
) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { rights, identity } = opts;

  app.get(
    '/api/me/data',
    {
      config: { access: person },
      schema: { tags: ['rights'], summary: 'What we hold about me, by category (RIG-1)', response: { 200: DataHeld } },
    },
    async (req) => rights.dataHeld(requireActor(req)),
  );
  app.post(
    '/api/me/step-up',
    {
      config: { access: person },
      schema: {
        tags: ['rights'],
        summary: 'Send a fresh code to my own number before a rights request (RIG-7)',
        response: { 200: StepUpCodeReply },
      },
    },
    async (req) => identity.requestStepUpCode(requireActor(req), requestMeta(req)),
  );
  app.get(
    '/api/me/requests',
    {
      config: { access: person },
      schema: {
        tags: ['rights'],
        summary: 'My data-rights requests, newest first',
        response: { 200: RightsRequestList },
      },
    },
    async (req) => ({ requests: await rights.list(requireActor(req)) }),
  );
  app.get(
    '/api/me/requests/cancellation-preview',
    {
      config: { access: person },
      schema: {
        tags: ['rights'],
        summary: 'What cancelling my account will erase and keep, and by when (RIG-5)',
        response: { 200: CancellationPreview },
      },
    },
    async (req) => rights.cancellationPreview(requireActor(req)),
  );
  app.post(
    '/api/me/requests',
    {
      config: { access: person },
      schema: {
        tags: ['rights'],
        summary: 'Make a verified data-rights request (RIG-1, 2, 3, 5, 6, 7); a cancellation signs me out everywhere',
        body: CreateRightsRequestBody,
        response: { 201: CreatedRightsRequest },
      },
    },
    async (req, reply) => {
      const created = await rights.create(requireActor(req), req.body, requestMeta(req));
      if (req.body.kind === 'cancellation') clearSessionCookie(reply, opts.secureCookies);
      return reply.code(201).send(created);
    },
  );
  app.post(
    '/api/me/requests/:id/withdraw',
    {
      config: { access: person },
      schema: {
        tags: ['rights'],
        summary: 'Withdraw my request while it is not processed',
        params: idParam,
        response: { 200: RightsRequest },
      },
    },
    async (req) => rights.withdraw(requireActor(req), req.params.id, requestMeta(req)),
  );
  app.get(
    '/api/me/requests/:id/download',
    {
      config: { access: person },
      schema: { tags: ['rights'], summary: 'Download my data export (works once, 7 days) (RIG-1)', params: idParam },
    },
    async (req, reply) => {
      const file = await rights.download(requireActor(req), req.params.id, requestMeta(req));
      return reply
        .header('content-type', 'application/zip')
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('cache-control', 'no-store')
        .send(file.stream);
    },
  );
  app.get(
    '/api/me/requests/:id/certificate',
    {
      config: { access: person },
      schema: { tags: ['rights'], summary: 'My deletion certificate (signed)', params: idParam },
    },
    async (req, reply) =>
      reply
        .headers(certificateHeaders(req.params.id))
        .send(await rights.certificateFor(requireActor(req), req.params.id)),
  );
  app.get(
    '/api/certificates/:id',
    {
      config: { access: access.public },
      schema: {
        tags: ['rights'],
        summary: 'A deletion certificate by its private link (after cancellation the person cannot sign in)',
        params: idParam,
        querystring: Type.Object({ token: Type.String({ minLength: 16, maxLength: 64 }) }),
      },
    },
    async (req, reply) =>
      reply
        .headers(certificateHeaders(req.params.id))
        .send(await rights.publicCertificate(req.params.id, req.query.token)),
  );
  app.get(
    '/api/certificates/public-key',
    {
      config: { access: access.public },
      schema: { tags: ['rights'], summary: 'The key deletion certificates are signed with (Ed25519, PEM)' },
    },
    async (_req, reply) => reply.header('content-type', 'application/x-pem-file').send(rights.signer.publicKeyPem()),
  );

  // ---- staff ----
  app.get(
    '/api/admin/rights/requests',
    {
      config: { access: officerOrSupport },
      schema: {
        tags: ['admin'],
        summary: 'Data-subject requests: open by due date, or closed',
        querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('closed')])) }),
        response: { 200: StaffRightsRequestList },
      },
    },
    async (req) => rights.queue(req.query.status !== 'closed'),
  );
  app.post(
    '/api/admin/rights/requests',
    {
      config: { access: officerOrSupport },
      schema: {
        tags: ['admin'],
        summary: "Enter a request on someone's behalf, with how identity was verified (RIG-7)",
        body: StaffCreateRightsRequestBody,
        response: { 201: StaffRightsRequest },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await rights.createOnBehalf(requireActor(req), req.body, requestMeta(req))),
  );
  app.post(
    '/api/admin/rights/requests/:id/open',
    {
      config: { access: officer },
      schema: {
        tags: ['admin'],
        summary: 'Open a request with what the person wrote (audited with its purpose)',
        params: idParam,
        body: Type.Object({ purpose: Type.String({ minLength: 4, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 200: StaffRightsRequestDetail },
      },
    },
    async (req) => rights.open(requireActor(req), req.params.id, req.body.purpose, requestMeta(req)),
  );
  app.post(
    '/api/admin/rights/requests/:id/notes',
    {
      config: { access: officer },
      schema: {
        tags: ['admin'],
        summary: 'Add a note to a request',
        params: idParam,
        body: RightsNoteBody,
        response: { 200: StaffRightsRequestDetail },
      },
    },
    async (req) => rights.note(requireActor(req), req.params.id, req.body.note, requestMeta(req)),
  );
  app.post(
    '/api/admin/rights/requests/:id/refuse',
    {
      config: { access: officer },
      schema: {
        tags: ['admin'],
        summary: 'Refuse on a stated ground, with the reason the person reads (RIG-7)',
        params: idParam,
        body: RefuseRightsRequestBody,
        response: { 200: StaffRightsRequestDetail },
      },
    },
    async (req) => rights.refuse(requireActor(req), req.params.id, req.body, requestMeta(req)),
  );
  app.post(
    '/api/admin/rights/requests/:id/complete',
    {
      config: { access: officer },
      schema: {
        tags: ['admin'],
        summary: 'Complete a correction (applied through its port) or an explanation (RIG-2, RIG-6)',
        params: idParam,
        body: CompleteRightsRequestBody,
        response: { 200: StaffRightsRequestDetail },
      },
    },
    async (req) => rights.complete(requireActor(req), req.params.id, req.body, requestMeta(req)),
  );
  app.post(
    '/api/admin/rights/requests/:id/process',
    {
      config: { access: officer },
      schema: {
        tags: ['admin'],
        summary: 'Process a cancellation, erasure or export now',
        params: idParam,
        response: { 200: StaffRightsRequestDetail },
      },
    },
    async (req) => rights.processNow(requireActor(req), req.params.id, requestMeta(req)),
  );
  app.get(
    '/api/admin/rights/requests/:id/certificate',
    {
      config: { access: officerOrSupport },
      schema: { tags: ['admin'], summary: 'The deletion certificate of a request', params: idParam },
    },
    async (req, reply) =>
      reply.headers(certificateHeaders(req.params.id)).send(await rights.certificate(req.params.id)),
  );
  app.get(
    '/api/admin/rights/calendar',
    {
      config: { access: officer },
      schema: {
        tags: ['admin'],
        summary: 'Working-day calendar: years with holiday data',
        response: { 200: CalendarOverview },
      },
    },
    async () => rights.calendar(),
  );
  app.post(
    '/api/admin/rights/calendar',
    {
      config: { access: officer },
      schema: {
        tags: ['admin'],
        summary: "Add a year's statutory holiday notice (no code change)",
        body: CalendarYearNotice,
        response: { 200: CalendarOverview },
      },
    },
    async (req) => rights.addCalendarNotice(requireActor(req), req.body, requestMeta(req)),
  );
  app.get(
    '/api/admin/rights/holds',
    {
      config: { access: officer },
      schema: {
        tags: ['admin'],
        summary: 'Legal holds in force (privacy officer only)',
        response: { 200: Type.Object({ holds: Type.Array(LegalHold) }) },
      },
    },
    async () => ({ holds: await rights.holds() }),
  );
}
