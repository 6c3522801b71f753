import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  ConsultationDetail,
  ConsultationList,
  DeclineBody,
  EndConsultationBody,
  FollowUpBody,
  MediaMessageQuery,
  MediaVariant,
  MessageAck,
  MessagePage,
  Ok,
  ReadBody,
  RequestConsultationBody,
  SendMessageBody,
} from '@anxin/contracts';
import { VOICE_NOTE_MAX_BYTES } from '@anxin/domain';
import type { Access } from '../../platform/access.js';
import { AppError } from '../../platform/errors.js';
import { access } from '../../platform/access.js';
import { requestMeta, requireActor } from '../../platform/http.js';
import type { ConsultationService } from './consultations.service.js';

const tags = ['consultations'];
const patient: Access = { kind: 'user', apps: ['patient'] };
const participants = access.member();
/** Photos up to 10 MB (the pipeline's own limit answers with a clear message) plus room for the request. */
const MEDIA_BODY_LIMIT = 12 * 1024 * 1024;
const idParam = Type.Object({ id: Type.String({ format: 'uuid' }) });

export async function consultationRoutes(fastify: FastifyInstance, opts: { consultations: ConsultationService }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { consultations } = opts;

  app.post(
    '/api/consultations',
    {
      config: { access: patient },
      schema: {
        tags,
        summary: 'Ask an approved doctor for a consultation (CON-1)',
        body: RequestConsultationBody,
        response: { 200: ConsultationDetail },
      },
    },
    async (req) => consultations.request(requireActor(req), req.body, requestMeta(req)),
  );
  app.get(
    '/api/consultations',
    {
      config: { access: participants },
      schema: { tags, summary: 'My consultations (doctor: work queue)', response: { 200: ConsultationList } },
    },
    async (req) => ({
      consultations: await consultations.list(requireActor(req)),
    }),
  );
  app.get(
    '/api/consultations/:id',
    {
      config: { access: participants },
      schema: {
        tags,
        summary: 'One consultation I take part in',
        params: idParam,
        response: { 200: ConsultationDetail },
      },
    },
    async (req) => consultations.detail(requireActor(req), req.params.id),
  );
  app.post(
    '/api/consultations/:id/accept',
    {
      config: { access: access.doctor() },
      schema: {
        tags,
        summary: 'Accept a requested consultation',
        params: idParam,
        response: { 200: ConsultationDetail },
      },
    },
    async (req) => consultations.accept(requireActor(req), req.params.id, requestMeta(req)),
  );
  app.post(
    '/api/consultations/:id/decline',
    {
      config: { access: access.doctor() },
      schema: {
        tags,
        summary: 'Decline with a reason',
        params: idParam,
        body: DeclineBody,
        response: { 200: ConsultationDetail },
      },
    },
    async (req) => consultations.decline(requireActor(req), req.params.id, req.body.reason, requestMeta(req)),
  );
  app.post(
    '/api/consultations/:id/end',
    {
      config: { access: access.doctor() },
      schema: {
        tags,
        summary:
          "End an active consultation; with an unacknowledged crisis alert, only with the doctor's acknowledgement or hand-over note (CON-4)",
        params: idParam,
        body: EndConsultationBody,
        response: { 200: ConsultationDetail },
      },
    },
    async (req) => consultations.end(requireActor(req), req.params.id, requestMeta(req), req.body.crisis),
  );
  app.post(
    '/api/consultations/:id/follow-up',
    {
      config: { access: patient },
      schema: {
        tags,
        summary: 'Continue an ended consultation with the same doctor (a new, linked consultation)',
        params: idParam,
        body: FollowUpBody,
        response: { 200: ConsultationDetail },
      },
    },
    async (req) => consultations.followUp(requireActor(req), req.params.id, req.body.concern, requestMeta(req)),
  );
  app.post(
    '/api/consultations/:id/messages',
    {
      config: { access: participants },
      schema: {
        tags,
        summary: 'Send a message; acknowledged after it is stored (idempotent by clientId)',
        params: idParam,
        body: SendMessageBody,
        response: { 200: MessageAck },
      },
    },
    async (req) => consultations.send(requireActor(req), req.params.id, req.body, requestMeta(req)),
  );
  // Image and voice-note uploads live in their own scope: only this route takes raw bodies (as bytes; the media
  // pipeline decides what they really are, whatever the Content-Type says).
  await fastify.register(async (scope) => {
    const upload = scope.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MEDIA_BODY_LIMIT }, (_req, body, done) =>
      done(null, body),
    );
    upload.post(
      '/api/consultations/:id/media-messages',
      {
        config: { access: participants },
        bodyLimit: MEDIA_BODY_LIMIT,
        // A voice note is at most about 1 MB: refuse a larger one before its bytes are read into memory.
        preParsing: async (req) => {
          const kind = (req.query as { kind?: unknown }).kind;
          if (kind === 'voice' && Number(req.headers['content-length'] ?? 0) > VOICE_NOTE_MAX_BYTES)
            throw new AppError('VOICE_NOTE_TOO_LARGE');
        },
        schema: {
          tags,
          summary:
            'Send an image or a voice note (raw file body); images are re-encoded without metadata, everything is encrypted (CON-1, CON-3)',
          params: idParam,
          querystring: MediaMessageQuery,
          response: { 200: MessageAck },
        },
      },
      async (req) => {
        const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        return consultations.sendMedia(requireActor(req), req.params.id, req.query, bytes, requestMeta(req));
      },
    );
  });
  app.get(
    '/api/consultations/:id/messages/:seq/media/:variant',
    {
      config: { access: participants },
      schema: {
        tags,
        summary: 'The file of an image (full or thumb) or voice-note (audio) message; never cached',
        params: Type.Object({
          id: Type.String({ format: 'uuid' }),
          seq: Type.Integer({ minimum: 1 }),
          variant: MediaVariant,
        }),
      },
    },
    async (req, reply) => {
      const file = await consultations.mediaFile(requireActor(req), req.params.id, req.params.seq, req.params.variant);
      return reply
        .header('content-type', file.contentType)
        .header('cache-control', 'private, no-store')
        .header('content-disposition', 'inline')
        .send(file.bytes);
    },
  );
  app.get(
    '/api/consultations/:id/messages',
    {
      config: { access: participants },
      schema: {
        tags,
        summary: 'Messages after a sequence number, in order (catch-up after reconnect)',
        params: idParam,
        querystring: Type.Object({
          after: Type.Optional(Type.Integer({ minimum: 0 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: { 200: MessagePage },
      },
    },
    async (req) =>
      consultations.messages(requireActor(req), req.params.id, req.query.after ?? 0, req.query.limit ?? 200),
  );
  app.post(
    '/api/consultations/:id/read',
    {
      config: { access: participants },
      schema: {
        tags,
        summary: 'Read receipt up to a sequence number',
        params: idParam,
        body: ReadBody,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await consultations.markRead(requireActor(req), req.params.id, req.body.seq);
      return { ok: true as const };
    },
  );
}
