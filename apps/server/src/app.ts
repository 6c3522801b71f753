import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { createServices, type CoreDeps, type Services } from './services.js';
import { ping } from './db/database.js';
import { httpPlatform } from './platform/http.js';
import { access } from './platform/access.js';
import { describeError } from './platform/errors.js';
import { identityRoutes } from './features/identity/identity.routes.js';
import { devOutboxRoutes } from './features/identity/dev-outbox.routes.js';
import { policyRoutes } from './privacy/policy/policy.routes.js';
import { auditRoutes } from './privacy/audit/audit.routes.js';
import { onboardingRoutes } from './features/onboarding/onboarding.routes.js';
import { directoryRoutes } from './features/directory/directory.routes.js';
import { noticeRoutes } from './features/notices/notices.routes.js';
import { pushRoutes } from './features/push/push.routes.js';
import { consultationRoutes } from './features/consultations/consultations.routes.js';
import { realtimeRoutes } from './realtime/ws.routes.js';
import { crisisRoutes } from './features/crisis/crisis.routes.js';
import { callRoutes } from './features/calls/calls.routes.js';
import { rightsRoutes } from './privacy/rights/rights.routes.js';

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
}

const SPA_ROOTS = [
  { prefix: '/admin', index: 'admin/index.html' },
  { prefix: '/patient', index: 'patient/index.html' },
  { prefix: '/', index: 'index.html' },
];

/** Builds the whole app from explicit dependencies; never listens (main.ts does). Tests call this directly. */
export async function buildApp(deps: CoreDeps, fastifyOptions: FastifyServerOptions = {}): Promise<FastifyInstance> {
  const { config } = deps;
  const services = createServices(deps);
  const app = Fastify({
    bodyLimit: 64 * 1024,
    trustProxy: config.trustProxy,
    genReqId: () => crypto.randomUUID(),
    ...fastifyOptions,
  });
  app.decorate('services', services);
  const secureCookies = config.publicUrl.startsWith('https://');

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // antd and antd-mobile inject component styles at run time.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        mediaSrc: ["'self'", 'blob:'],
        workerSrc: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: secureCookies ? [] : null,
      },
    },
    hsts: secureCookies,
    crossOriginEmbedderPolicy: false,
  });
  // API responses over 1 KiB go out compressed (brotli at a fast level, or gzip). Built files come precompressed
  // (see fastifyStatic below) and already carry Content-Encoding, so they pass through untouched; images, audio
  // and other incompressible types are never touched; WebSocket upgrades do not go through onSend at all.
  await app.register(compress, {
    threshold: 1024,
    encodings: ['br', 'gzip'],
    brotliOptions: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } },
  });
  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Anxin API',
        version: '0.1.0',
        description: 'Privacy-first telepsychology platform. Errors: { error: { code, message } }.',
      },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'anxin_session' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  await app.register(httpPlatform, {
    identity: services.identity,
    policy: services.policy,
    allowedOrigins: [new URL(config.publicUrl).origin],
    secureCookies,
  });

  // LOG-4: we track nobody, on every site of the platform. Tell browsers so (DNT tracking status "N" on every
  // response) and publish Global Privacy Control support.
  app.addHook('onSend', async (_req, reply) => {
    reply.header('tk', 'N');
  });
  app.get('/.well-known/gpc.json', { config: { access: access.public }, schema: { hide: true } }, async () => ({
    gpc: true,
    lastUpdate: '2026-11-29',
  }));

  app.get('/healthz', { config: { access: access.public }, schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { config: { access: access.public }, schema: { hide: true } }, async (_req, reply) => {
    try {
      await ping(deps.db);
      return { status: 'ready' };
    } catch {
      return reply.code(503).send({ status: 'database unavailable' });
    }
  });

  await app.register(identityRoutes, { identity: services.identity, staff: services.staff, secureCookies });
  await app.register(devOutboxRoutes, { sms: deps.sms });
  await app.register(policyRoutes, { policy: services.policy });
  await app.register(auditRoutes, { db: deps.db, clock: deps.clock });
  await app.register(onboardingRoutes, { onboarding: services.onboarding, review: services.review });
  await app.register(directoryRoutes, { directory: services.directory });
  await app.register(noticeRoutes, { notices: services.notices });
  await app.register(pushRoutes, { push: services.push });
  await app.register(consultationRoutes, { consultations: services.consultations });
  await app.register(crisisRoutes, { crisis: services.crisis });
  await app.register(callRoutes, { calls: services.calls });
  await app.register(rightsRoutes, { rights: services.rights, identity: services.identity, secureCookies });
  await app.register(realtimeRoutes, {
    features: services.socketFeatures,
    bus: services.bus,
    authenticate: (token) => services.identity.authenticate(token),
    allowedOrigins: [new URL(config.publicUrl).origin],
  });

  const hasWeb = fs.existsSync(path.join(config.webDistDir, 'index.html'));
  if (hasWeb) {
    await app.register(fastifyStatic, {
      root: config.webDistDir,
      wildcard: false,
      index: false,
      // Serve the .br / .gz file the build wrote next to each asset, per Accept-Encoding (Vary: Accept-Encoding);
      // this also applies to reply.sendFile in the page fallback below.
      preCompressed: true,
      setHeaders: (res, filePath) => {
        // Hashed assets never change; HTML and the service worker must always be revalidated.
        res.header(
          'cache-control',
          filePath.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
  }

  app.setNotFoundHandler(async (req, reply) => {
    const isPage = req.method === 'GET' && !req.url.startsWith('/api/') && !req.url.startsWith('/docs');
    if (isPage && hasWeb) {
      const urlPath = req.url.split('?')[0]!;
      const file = path.join(config.webDistDir, path.normalize(urlPath).replace(/^(\.\.[/\\])+/, ''));
      if (file.startsWith(config.webDistDir) && fs.existsSync(file) && fs.statSync(file).isFile()) {
        return reply.sendFile(path.relative(config.webDistDir, file));
      }
      const root = SPA_ROOTS.find(
        (r) => urlPath === r.prefix || urlPath.startsWith(r.prefix === '/' ? '/' : `${r.prefix}/`),
      )!;
      reply.header('cache-control', 'no-cache');
      return reply.sendFile(root.index);
    }
    if (isPage) {
      return reply
        .code(503)
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><meta charset="utf-8"><title>安心</title><p>网页尚未构建：请运行 <code>npm run build:web</code>。<br>The web app is not built yet: run <code>npm run build:web</code>.</p>',
        );
    }
    return reply.code(404).send({ error: { code: 'NOT_FOUND', message: describeError('NOT_FOUND', req.locale) } });
  });
  return app;
}
