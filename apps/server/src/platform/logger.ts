import type { LoggerOptions } from 'pino';

/**
 * pino options with personal data redacted. Request logs carry method, route and status, never bodies or
 * query strings; known secret fields are censored wherever they appear.
 */
export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        '*.phone',
        '*.code',
        '*.token',
        '*.password',
        '*.body',
        '*.text',
        '*.content',
        '*.idNumber',
      ],
      censor: '[redacted]',
    },
    serializers: {
      // The URL path only: query strings can carry search terms and other personal data.
      req: (req: { method: string; url: string; id: string; routeOptions?: { url?: string } }) => ({
        id: req.id,
        method: req.method,
        route: req.routeOptions?.url ?? req.url.split('?')[0],
      }),
    },
  };
}
