import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import {
  ConsentProof,
  Locale,
  Ok,
  PolicyDocument,
  PrivacyOverview,
  SensitiveConsentDocument,
  SensitivePurpose,
} from '@anxin/contracts';
import { access } from '../../platform/access.js';
import { requestMeta, requireActor } from '../../platform/http.js';
import type { PolicyService } from './policy.service.js';

const tags = ['privacy'];

export async function policyRoutes(fastify: FastifyInstance, opts: { policy: PolicyService }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { policy } = opts;

  app.get(
    '/api/policy/current',
    {
      config: { access: access.public },
      schema: {
        tags,
        summary: 'The privacy policy in effect (POL-1, POL-2)',
        querystring: Type.Object({ locale: Type.Optional(Locale) }),
        response: { 200: PolicyDocument },
      },
    },
    async (req) => policy.document(req.query.locale ?? req.locale),
  );

  app.get(
    '/api/policy/terms',
    {
      config: { access: access.public },
      schema: {
        tags,
        summary: 'The user agreement (《用户协议》), a document of its own (POL-1)',
        querystring: Type.Object({ locale: Type.Optional(Locale) }),
        response: { 200: PolicyDocument },
      },
    },
    async (req) => policy.terms(req.query.locale ?? req.locale),
  );

  app.post(
    '/api/consents/policy',
    {
      config: { access: access.member({ allowPolicyPending: true }) },
      schema: { tags, summary: 'Accept the policy version in effect', body: ConsentProof, response: { 200: Ok } },
    },
    async (req) => {
      await policy.acceptNewPolicy(requireActor(req).userId, req.body, requestMeta(req));
      return { ok: true as const };
    },
  );

  app.get(
    '/api/consents/sensitive/:purpose',
    {
      config: { access: access.member() },
      schema: {
        tags,
        summary: 'Separate consent text for sensitive data (PIPL art. 29)',
        params: Type.Object({ purpose: SensitivePurpose }),
        querystring: Type.Object({ locale: Type.Optional(Locale) }),
        response: { 200: SensitiveConsentDocument },
      },
    },
    async (req) => {
      const actor = requireActor(req);
      const given = await policy.hasSensitiveConsent(actor.userId, req.params.purpose);
      return policy.sensitiveDocument(req.params.purpose, req.query.locale ?? req.locale, given);
    },
  );

  app.post(
    '/api/consents/sensitive/:purpose',
    {
      config: { access: access.member() },
      schema: {
        tags,
        summary: 'Give separate consent for sensitive data',
        params: Type.Object({ purpose: SensitivePurpose }),
        body: ConsentProof,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await policy.recordSensitiveConsent(requireActor(req).userId, req.params.purpose, req.body, requestMeta(req));
      return { ok: true as const };
    },
  );

  app.delete(
    '/api/consents/sensitive/:purpose',
    {
      config: { access: access.member() },
      schema: {
        tags,
        summary: 'Withdraw a separate consent (RIG-4); stops processing from now on',
        params: Type.Object({ purpose: SensitivePurpose }),
        response: { 200: Ok },
      },
    },
    async (req) => {
      await policy.withdrawSensitiveConsent(requireActor(req).userId, req.params.purpose, requestMeta(req));
      return { ok: true as const };
    },
  );

  app.get(
    '/api/me/privacy',
    {
      config: { access: access.member({ allowPolicyPending: true }) },
      schema: { tags, summary: 'What I agreed to and when (RIG-1, RIG-4)', response: { 200: PrivacyOverview } },
    },
    async (req) => policy.overview(requireActor(req).userId),
  );
}
