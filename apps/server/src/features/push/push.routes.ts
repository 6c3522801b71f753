import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ok, PushPreferences, PushPreferencesBody, PushSubscriptionBody, VapidPublicKey } from '@anxin/contracts';
import { access } from '../../platform/access.js';
import { requestMeta, requireActor } from '../../platform/http.js';
import type { PushService } from './push.service.js';

export async function pushRoutes(fastify: FastifyInstance, opts: { push: PushService }) {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const { push } = opts;

  app.get(
    '/api/push/vapid-public-key',
    {
      config: { access: access.member() },
      schema: {
        tags: ['push'],
        summary: 'The server’s VAPID public key (applicationServerKey)',
        response: { 200: VapidPublicKey },
      },
    },
    async () => ({ publicKey: await push.vapidPublicKey() }),
  );

  app.post(
    '/api/push/subscriptions',
    {
      config: { access: access.member() },
      schema: {
        tags: ['push'],
        summary: 'Subscribe this device (the current session) to push notifications',
        body: PushSubscriptionBody,
        response: { 200: Ok },
      },
    },
    async (req) => {
      await push.subscribe(requireActor(req), req.body, requestMeta(req));
      return { ok: true as const };
    },
  );

  app.delete(
    '/api/push/subscriptions/current',
    {
      config: { access: access.member() },
      schema: {
        tags: ['push'],
        summary: 'Turn push off for this device (idempotent)',
        response: { 200: Ok },
      },
    },
    async (req) => {
      await push.unsubscribeCurrent(requireActor(req), requestMeta(req));
      return { ok: true as const };
    },
  );

  app.get(
    '/api/push/preferences',
    {
      config: { access: access.member() },
      schema: {
        tags: ['push'],
        summary: 'Notification categories and quiet hours',
        response: { 200: PushPreferences },
      },
    },
    async (req) => push.preferences(requireActor(req)),
  );

  app.put(
    '/api/push/preferences',
    {
      config: { access: access.member() },
      schema: {
        tags: ['push'],
        summary: 'Change notification categories and quiet hours',
        body: PushPreferencesBody,
        response: { 200: PushPreferences },
      },
    },
    async (req) => push.updatePreferences(requireActor(req), req.body, requestMeta(req)),
  );
}
