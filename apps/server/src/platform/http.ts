import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Actor, RequestMeta } from './actor.js';
import { AppError, describeError, ERRORS, pickLocale, type ErrorCode } from './errors.js';

export const SESSION_COOKIE = 'anxin_session';

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
    locale: 'zh-CN' | 'en';
  }
}

export function requestMeta(req: FastifyRequest): RequestMeta {
  return { ip: req.ip, userAgent: String(req.headers['user-agent'] ?? ''), requestId: String(req.id) };
}

export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw new AppError('AUTH_REQUIRED');
  return req.actor;
}

export function setSessionCookie(reply: FastifyReply, token: string, maxAgeSeconds: number | null, secure: boolean) {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure,
    ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}),
  });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean) {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure });
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function sendError(
  reply: FastifyReply,
  locale: 'zh-CN' | 'en',
  code: ErrorCode,
  params: Record<string, string | number> = {},
) {
  const body: { code: string; message: string; retryAfterSeconds?: number; field?: string } = {
    code,
    message: describeError(code, locale, params),
  };
  if (typeof params.seconds === 'number') {
    body.retryAfterSeconds = params.seconds;
    reply.header('retry-after', String(params.seconds));
  }
  if (typeof params.field === 'string') body.field = params.field;
  return reply.code(ERRORS[code].status).send({ error: body });
}

/**
 * The request pipeline every route goes through: locale, CSRF origin check, session, access guard, policy gate,
 * and the one error handler that turns AppError codes (and framework errors) into localised 4xx bodies.
 */
export const httpPlatform = fp(
  async (
    app: FastifyInstance,
    opts: {
      /** The session behind a cookie token (identity owns sessions). */
      identity: { authenticate(token: string): Promise<Actor | 'expired' | null> };
      /** Whether the user must accept the policy version in effect first (policy owns consents). */
      policy: { statusOf(userId: string): Promise<{ needsAcceptance: boolean }> };
      allowedOrigins: string[];
      secureCookies: boolean;
    },
  ) => {
    app.decorateRequest('actor', null);
    app.decorateRequest('locale', 'zh-CN');

    app.addHook('onRequest', async (req, reply) => {
      req.locale = pickLocale(req.headers['accept-language']);
      // Decide from the route the router matched, never from the raw URL: the router decodes percent-escapes,
      // so `/%61pi/admin/…` reaches `/api/admin/…` handlers and must meet the same guard.
      const routeUrl = req.routeOptions.url;
      if (!routeUrl) return; // no route matched: the 404 handler answers
      const rule = req.routeOptions.config?.access;
      // Only API routes carry access rules; pages, /docs and health checks are public by nature.
      if (!rule && !routeUrl.startsWith('/api/')) return;

      // CSRF: state-changing API calls must come from our own pages. Browsers always send Origin on such fetches.
      if (UNSAFE.has(req.method)) {
        const origin = req.headers.origin;
        const host = req.headers.host;
        const sameHost =
          origin !== undefined && host !== undefined && (origin === `http://${host}` || origin === `https://${host}`);
        if (!origin || !(opts.allowedOrigins.includes(origin) || sameHost)) {
          return sendError(reply, req.locale, 'CSRF_ORIGIN_MISMATCH');
        }
      }

      const token = req.cookies[SESSION_COOKIE];
      let expired = false;
      if (token) {
        const result = await opts.identity.authenticate(token);
        if (result === 'expired') expired = true;
        else if (result) {
          req.actor = result;
          if (!req.headers['accept-language']) req.locale = result.locale;
        }
      }

      // A matched API route without a declaration is refused (fail closed).
      if (!rule) return sendError(reply, req.locale, 'FORBIDDEN');
      if (rule.kind === 'public') return;
      const actor = req.actor;
      if (!actor) {
        if (expired) clearSessionCookie(reply, opts.secureCookies);
        return sendError(reply, req.locale, expired ? 'SESSION_EXPIRED' : 'AUTH_REQUIRED');
      }
      if (rule.kind === 'staff') {
        if (actor.app !== 'staff' || actor.stage !== 'active') return sendError(reply, req.locale, 'FORBIDDEN');
        if (rule.roles !== 'any' && !actor.roles.some((r) => r === 'admin' || (rule.roles as string[]).includes(r))) {
          return sendError(reply, req.locale, 'FORBIDDEN');
        }
        return;
      }
      const apps = rule.apps ?? ['doctor', 'patient'];
      if (!apps.includes(actor.app)) return sendError(reply, req.locale, 'WRONG_APP');
      if (actor.stage !== 'active' && !rule.allowPendingStage) return sendError(reply, req.locale, 'FORBIDDEN');
      if (actor.app !== 'staff' && !rule.allowPolicyPending) {
        const status = await opts.policy.statusOf(actor.userId);
        if (status.needsAcceptance) return sendError(reply, req.locale, 'POLICY_ACCEPTANCE_REQUIRED');
      }
    });

    app.setErrorHandler((err: unknown, req, reply) => {
      if (err instanceof AppError) return sendError(reply, req.locale, err.code, err.params);
      const e = err as {
        validation?: Array<{ instancePath?: string; message?: string; params?: Record<string, unknown> }>;
        statusCode?: number;
        code?: string;
      };
      if (e.validation) {
        const first = e.validation[0];
        const missing = first?.params?.missingProperty ?? first?.params?.requiredProperties;
        const field = String(missing ?? first?.instancePath?.replace(/^\//, '').replace(/\//g, '.') ?? '') || 'body';
        return sendError(reply, req.locale, 'VALIDATION_FAILED', {
          field,
          detail: req.locale === 'en' ? (first?.message ?? 'invalid') : '格式不正确或缺少内容',
        });
      }
      if (e.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || e.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
        return sendError(reply, req.locale, 'BAD_JSON');
      if (e.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendError(reply, req.locale, 'UNSUPPORTED_MEDIA_TYPE');
      if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, req.locale, 'PAYLOAD_TOO_LARGE');
      if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
        return sendError(
          reply,
          req.locale,
          e.statusCode === 404 ? 'NOT_FOUND' : e.statusCode === 429 ? 'RATE_LIMITED' : 'VALIDATION_FAILED',
          { field: 'request', detail: '' },
        );
      }
      // 5xx: details go to the log (redacted), never to the caller.
      req.log.error({ err }, 'unhandled error');
      return sendError(reply, req.locale, 'INTERNAL');
    });
  },
  { name: 'anxin-http-platform' },
);
