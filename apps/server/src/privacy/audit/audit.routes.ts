import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { AuditPage, AuditVerification } from '@anxin/contracts';
import type { Db } from '../../db/database.js';
import { access } from '../../platform/access.js';
import { requestMeta, requireActor } from '../../platform/http.js';
import type { Clock } from '../../platform/clock.js';
import { auditBy, verifyAuditChain } from './audit.js';
import * as repo from './audit.repo.js';

const tags = ['audit'];
const auditors = access.staff(['security_officer', 'privacy_officer']);

export async function auditRoutes(fastify: FastifyInstance, opts: { db: Db; clock: Clock }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { db, clock } = opts;

  app.get(
    '/api/admin/audit',
    {
      config: { access: auditors },
      schema: {
        tags,
        summary: 'Latest audit entries (no personal data in them)',
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }),
        response: { 200: AuditPage },
      },
    },
    async (req) => {
      const rows = await repo.listLatest(db, req.query.limit ?? 50);
      return {
        entries: rows.map((r) => ({
          id: r.id,
          at: r.at.toISOString(),
          actorId: r.actor_id,
          action: r.action,
          subjectId: r.subject_id,
          purpose: r.purpose,
          hash: r.hash,
        })),
      };
    },
  );

  app.post(
    '/api/admin/audit/verify',
    {
      config: { access: auditors },
      schema: { tags, summary: 'Verify the hash chain (SEC-1)', response: { 200: AuditVerification } },
    },
    async (req) => {
      const actor = requireActor(req);
      const result = await verifyAuditChain(db);
      const now = clock.now();
      await db
        .transaction()
        .execute((trx) =>
          auditBy(
            trx,
            actor,
            requestMeta(req),
            'audit.verified',
            { details: { ok: result.ok, checked: result.checked, firstBrokenId: result.firstBroken?.id ?? null } },
            now,
          ),
        );
      return { ...result, verifiedAt: now.toISOString() };
    },
  );
}
