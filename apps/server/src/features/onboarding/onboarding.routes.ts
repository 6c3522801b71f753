import type { FastifyInstance, FastifyReply } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  ApplicationForm,
  DecisionBody,
  MyApplication,
  PhotoSlot,
  ReasonTemplates,
  RevealBody,
  RevealReply,
  ReviewDetail,
  ReviewQueue,
} from '@anxin/contracts';
import { access } from '../../platform/access.js';
import { requestMeta, requireActor } from '../../platform/http.js';
import { AppError } from '../../platform/errors.js';
import type { OnboardingService } from './onboarding.service.js';
import type { ReviewService } from './review.service.js';

const tags = ['onboarding'];
const doctor = access.doctor();
const reviewers = access.staff(['reviewer']);

/**
 * Photos go out with no-store (no cache may keep an ID card), nosniff (helmet), and a fixed file name: the
 * uploader's file name is never stored, let alone echoed.
 */
export function sendImage(reply: FastifyReply, image: { bytes: Buffer; contentType: string }, cache = 'no-store') {
  return reply
    .header('cache-control', cache)
    .header('content-disposition', 'inline; filename="photo.jpg"')
    .type(image.contentType)
    .send(image.bytes);
}

export async function onboardingRoutes(
  fastify: FastifyInstance,
  opts: { onboarding: OnboardingService; review: ReviewService },
) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { onboarding, review } = opts;

  app.get(
    '/api/onboarding/application',
    {
      config: { access: doctor },
      schema: { tags, summary: 'My onboarding application (ONB-1, ONB-2)', response: { 200: MyApplication } },
    },
    async (req) => onboarding.mine(requireActor(req)),
  );

  app.put(
    '/api/onboarding/application',
    {
      config: { access: doctor },
      schema: { tags, summary: 'Save the application draft', body: ApplicationForm, response: { 200: MyApplication } },
    },
    async (req) => onboarding.saveDraft(requireActor(req), req.body, requestMeta(req)),
  );

  app.post(
    '/api/onboarding/application/submit',
    {
      config: { access: doctor },
      schema: {
        tags,
        summary: 'Submit for review; runs the automated pre-check (ONB-3)',
        response: { 200: MyApplication },
      },
    },
    async (req) => onboarding.submit(requireActor(req), requestMeta(req)),
  );

  // Uploads live in their own scope: only this route accepts raw bodies (any content type, as bytes; the photo
  // pipeline decides what they really are), so no other route can be made to buffer 12 MB.
  await fastify.register(async (scope) => {
    const upload = scope.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 12 * 1024 * 1024 }, (_req, body, done) =>
      done(null, body),
    );
    upload.post(
      '/api/onboarding/photos/:slot',
      {
        config: { access: doctor },
        bodyLimit: 12 * 1024 * 1024,
        schema: {
          tags,
          summary: 'Upload a photo (raw image body); EXIF is removed (CON-3)',
          params: Type.Object({ slot: PhotoSlot }),
          response: { 200: MyApplication },
        },
      },
      async (req) => {
        if (!Buffer.isBuffer(req.body) || req.body.length === 0) throw new AppError('PHOTO_TYPE_UNSUPPORTED');
        return onboarding.uploadPhoto(requireActor(req), req.params.slot, req.body, requestMeta(req));
      },
    );
  });

  app.delete(
    '/api/onboarding/photos/:slot',
    {
      config: { access: doctor },
      schema: {
        tags,
        summary: 'Remove a photo',
        params: Type.Object({ slot: PhotoSlot }),
        response: { 200: MyApplication },
      },
    },
    async (req) => onboarding.deletePhoto(requireActor(req), req.params.slot, requestMeta(req)),
  );

  app.get(
    '/api/onboarding/photos/:slot',
    {
      config: { access: doctor },
      schema: {
        tags,
        summary: 'One of my photos',
        params: Type.Object({ slot: PhotoSlot }),
        querystring: Type.Object({
          variant: Type.Optional(Type.Union([Type.Literal('thumb'), Type.Literal('full')])),
          v: Type.Optional(Type.String()),
        }),
      },
    },
    async (req, reply) =>
      sendImage(reply, await onboarding.ownPhoto(requireActor(req), req.params.slot, req.query.variant ?? 'thumb')),
  );

  // ---- staff review (ONB-4) ----
  const rtags = ['review'];
  app.get(
    '/api/admin/review-reasons',
    {
      config: { access: reviewers },
      schema: { tags: rtags, summary: 'Reason templates for decisions', response: { 200: ReasonTemplates } },
    },
    async () => review.reasons(),
  );

  app.get(
    '/api/admin/applications',
    {
      config: { access: reviewers },
      schema: {
        tags: rtags,
        summary: 'Review queue',
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union([
              Type.Literal('pending'),
              Type.Literal('changes_requested'),
              Type.Literal('approved'),
              Type.Literal('rejected'),
              Type.Literal('all'),
            ]),
          ),
          flagged: Type.Optional(Type.Boolean()),
        }),
        response: { 200: ReviewQueue },
      },
    },
    async (req) => review.queue({ status: req.query.status ?? 'pending', flagged: req.query.flagged }),
  );

  const idParam = Type.Object({ id: Type.String({ format: 'uuid' }) });
  app.get(
    '/api/admin/applications/:id',
    {
      config: { access: reviewers },
      schema: {
        tags: rtags,
        summary: 'Application detail, numbers masked',
        params: idParam,
        response: { 200: ReviewDetail },
      },
    },
    async (req) => review.detailForStaff(requireActor(req), req.params.id, requestMeta(req)),
  );

  app.post(
    '/api/admin/applications/:id/reveal',
    {
      config: { access: reviewers },
      schema: {
        tags: rtags,
        summary: 'Reveal numbers/photos for a stated purpose (audited)',
        params: idParam,
        body: RevealBody,
        response: { 200: RevealReply },
      },
    },
    async (req) => review.reveal(requireActor(req), req.params.id, req.body, requestMeta(req)),
  );

  app.get(
    '/api/admin/applications/:id/photos/:slot',
    {
      config: { access: reviewers },
      schema: {
        tags: rtags,
        summary: 'A photo: blurred, or full after a reveal (audited)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }), slot: PhotoSlot }),
        querystring: Type.Object({
          variant: Type.Optional(Type.Union([Type.Literal('blurred'), Type.Literal('full')])),
        }),
      },
    },
    async (req, reply) =>
      sendImage(
        reply,
        await review.photo(
          requireActor(req),
          req.params.id,
          req.params.slot,
          req.query.variant ?? 'blurred',
          requestMeta(req),
        ),
      ),
  );

  app.post(
    '/api/admin/applications/:id/decision',
    {
      config: { access: reviewers },
      schema: {
        tags: rtags,
        summary: 'Approve, reject or ask for changes, with a reason',
        params: idParam,
        body: DecisionBody,
        response: { 200: ReviewDetail },
      },
    },
    async (req) => review.decide(requireActor(req), req.params.id, req.body, requestMeta(req)),
  );
}
