import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { deferredSchemas } from './deferred-schemas.js';

function appWith(schemas: ReturnType<typeof deferredSchemas> | null) {
  const app = Fastify(schemas ? { schemaController: schemas.schemaController } : {});
  app.post(
    '/notes/:id',
    {
      schema: {
        params: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
        body: {
          type: 'object',
          properties: { text: { type: 'string', minLength: 1 }, tags: { type: 'array', items: { type: 'string' } } },
          required: ['text'],
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: { id: { type: 'integer' }, text: { type: 'string' }, tags: { type: 'array' } },
          },
        },
      },
    },
    async (req) => ({ ...(req.body as object), id: (req.params as { id: number }).id, secret: 'not in the schema' }),
  );
  app.get(
    '/other',
    { schema: { querystring: { type: 'object', properties: { n: { type: 'integer' } } } } },
    () => ({}),
  );
  return app;
}

async function behaviour(app: ReturnType<typeof appWith>) {
  const ok = await app.inject({ method: 'POST', url: '/notes/7', payload: { text: 'hi', tags: 'one' } });
  const bad = await app.inject({ method: 'POST', url: '/notes/x', payload: { text: '' } });
  const extra = await app.inject({ method: 'POST', url: '/notes/1', payload: { text: 'a', more: 1 } });
  return { ok: [ok.statusCode, ok.json()], bad: [bad.statusCode, bad.json()], extra: [extra.statusCode, extra.json()] };
}

describe('deferred schema compilation', () => {
  it('compiles nothing before listening, then validates, coerces, strips and reports errors exactly like Fastify does', async () => {
    const schemas = deferredSchemas();
    const deferred = appWith(schemas);
    await deferred.ready();
    // POST: 2 validators (params, body) and 1 serialiser; GET and its HEAD: 1 validator each. None compiled yet.
    expect(schemas.pending()).toBe(5);
    const eager = appWith(null);
    await eager.ready();
    const expected = await behaviour(eager);
    expect(expected.ok).toEqual([200, { id: 7, text: 'hi', tags: ['one'] }]);
    expect(expected.bad[0]).toBe(400);
    expect(await behaviour(deferred)).toEqual(expected);
    // The POST route's schemas were compiled by its requests; compileAll does the rest.
    expect(schemas.pending()).toBe(2);
    await schemas.compileAll();
    expect(schemas.pending()).toBe(0);
    expect((await deferred.inject({ url: '/other?n=x' })).statusCode).toBe(400);
    await Promise.all([deferred.close(), eager.close()]);
  });
});
