import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  EnrolmentFinishBody,
  EnrolmentStartBody,
  EnrolmentStartReply,
  Me,
  Ok,
  RequestCodeBody,
  RequestCodeReply,
  SessionList,
  SignOutAllBody,
  TotpCodeBody,
  UpdateMeBody,
  VerifyCodeBody,
} from '@anxin/contracts';
import { access } from '../../platform/access.js';
import {
  clearSessionCookie,
  requestMeta,
  requireActor,
  SESSION_COOKIE,
  setSessionCookie,
} from '../../platform/http.js';
import type { IdentityService } from './identity.service.js';
import type { StaffService } from './staff.service.js';

const tags = ['identity'];

export async function identityRoutes(
  fastify: FastifyInstance,
  opts: { identity: IdentityService; staff: StaffService; secureCookies: boolean },
) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { identity, staff, secureCookies } = opts;

  app.post(
    '/api/auth/code',
    {
      config: { access: access.public },
      schema: {
        tags,
        summary: 'Send a sign-in code by SMS (ACC-1)',
        body: RequestCodeBody,
        response: { 200: RequestCodeReply },
      },
    },
    async (req) => identity.requestCode(req.body, requestMeta(req)),
  );

  app.post(
    '/api/auth/verify',
    {
      config: { access: access.public },
      schema: {
        tags,
        summary: 'Verify the code; creates the account on first sign-in (ACC-1, ACC-3)',
        body: VerifyCodeBody,
        response: { 200: Me },
      },
    },
    async (req, reply) => {
      const meta = requestMeta(req);
      const issued = await identity.verifyCode(req.body, meta);
      setSessionCookie(reply, issued.token, issued.maxAgeSeconds, secureCookies);
      const actor = await identity.authenticate(issued.token);
      if (!actor || actor === 'expired') throw new Error('session just created is not usable');
      return identity.me(actor);
    },
  );

  app.post(
    '/api/auth/totp',
    {
      config: { access: access.anyUser({ allowPendingStage: true }) },
      schema: { tags, summary: 'Staff second factor (TOTP)', body: TotpCodeBody, response: { 200: Me } },
    },
    async (req, reply) => {
      const issued = await staff.verifyTotp(requireActor(req), req.body.code, requestMeta(req));
      setSessionCookie(reply, issued.token, issued.maxAgeSeconds, secureCookies);
      const actor = await identity.authenticate(issued.token);
      if (!actor || actor === 'expired') throw new Error('session just created is not usable');
      return identity.me(actor);
    },
  );

  app.post(
    '/api/auth/enrolment/start',
    {
      config: { access: access.public },
      schema: {
        tags,
        summary: 'Open a staff TOTP enrolment link',
        body: EnrolmentStartBody,
        response: { 200: EnrolmentStartReply },
      },
    },
    async (req) => staff.startEnrolment(req.body.token),
  );

  app.post(
    '/api/auth/enrolment/finish',
    {
      config: { access: access.public },
      schema: {
        tags,
        summary: 'Confirm TOTP enrolment with a first code',
        body: EnrolmentFinishBody,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await staff.finishEnrolment(req.body.token, req.body.code, requestMeta(req));
      return { ok: true as const };
    },
  );

  app.post(
    '/api/auth/sign-out',
    {
      config: { access: access.anyUser({ allowPendingStage: true, allowPolicyPending: true }) },
      schema: { tags, summary: 'Sign out this device', response: { 200: Ok } },
    },
    async (req, reply) => {
      await identity.signOut(requireActor(req), requestMeta(req));
      clearSessionCookie(reply, secureCookies);
      return { ok: true as const };
    },
  );

  app.get(
    '/api/me',
    {
      config: { access: access.anyUser({ allowPendingStage: true, allowPolicyPending: true }) },
      schema: { tags, summary: 'The signed-in account', response: { 200: Me } },
    },
    async (req) => identity.me(requireActor(req)),
  );

  // The apps' start-up look-up: who is signed in, answered 200 for everybody, so a signed-out visitor's first
  // load shows no failed request. `ended`: a session cookie came but no longer works (expired or signed out
  // elsewhere); it is cleared, and the app says so. GET /api/me keeps answering 401 without a session.
  app.get(
    '/api/session',
    {
      config: { access: access.public },
      schema: {
        tags,
        summary: 'The signed-in account of this browser, if any (never 401)',
        response: { 200: Type.Object({ me: Type.Union([Me, Type.Null()]), ended: Type.Boolean() }) },
      },
    },
    async (req, reply) => {
      if (req.actor) return { me: await identity.me(req.actor), ended: false };
      const ended = req.cookies[SESSION_COOKIE] !== undefined;
      if (ended) clearSessionCookie(reply, secureCookies);
      return { me: null, ended };
    },
  );

  app.patch(
    '/api/me',
    {
      config: { access: access.anyUser() },
      schema: { tags, summary: 'Edit profile basics and language', body: UpdateMeBody, response: { 200: Me } },
    },
    async (req) => identity.updateMe(requireActor(req), req.body, requestMeta(req)),
  );

  app.get(
    '/api/me/sessions',
    {
      config: { access: access.anyUser() },
      schema: { tags, summary: 'Signed-in devices (ACC-4)', response: { 200: SessionList } },
    },
    async (req) => ({ sessions: await identity.listSessions(requireActor(req)) }),
  );

  app.delete(
    '/api/me/sessions/:id',
    {
      config: { access: access.anyUser() },
      schema: {
        tags,
        summary: 'Sign out one device (ACC-4)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: Ok },
      },
    },
    async (req, reply) => {
      const actor = requireActor(req);
      await identity.revokeSession(actor, req.params.id, requestMeta(req));
      if (req.params.id === actor.sessionId) clearSessionCookie(reply, secureCookies);
      return { ok: true as const };
    },
  );

  app.post(
    '/api/me/sessions/sign-out-all',
    {
      config: { access: access.anyUser() },
      schema: { tags, summary: 'Sign out all (other) devices (ACC-4)', body: SignOutAllBody, response: { 200: Ok } },
    },
    async (req, reply) => {
      await identity.revokeAllSessions(requireActor(req), req.body.includeCurrent, requestMeta(req));
      if (req.body.includeCurrent) clearSessionCookie(reply, secureCookies);
      return { ok: true as const };
    },
  );
}
