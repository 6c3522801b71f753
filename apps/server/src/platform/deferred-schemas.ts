import AjvCompiler from '@fastify/ajv-compiler';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

type Compiled = ((...args: unknown[]) => unknown) & { schemaEnv?: unknown; errors?: unknown };
type Factory = (externalSchemas: unknown, options: unknown) => (route: unknown) => Compiled;

/**
 * Fastify compiles every route's validators (Ajv) and response serialisers (fast-json-stringify) before it
 * listens: about half a second of a start. These are Fastify's own compilers, each compiled on first use
 * instead, or by `compileAll()` after the server listens. Same schemas, same code, same errors; only when.
 * (Fastify treats them as custom compilers, which only changes how header schemas are matched: none of our
 * routes has one.)
 */
export function deferredSchemas(): {
  schemaController: NonNullable<FastifyServerOptions['schemaController']>;
  compileAll(): Promise<void>;
  pending(): number;
} {
  const pending = new Set<() => Compiled>();
  const lazy = (compile: () => Compiled): Compiled => {
    let compiled: Compiled | undefined;
    const get = () => {
      if (!compiled) {
        compiled = compile();
        pending.delete(get);
      }
      return compiled;
    };
    pending.add(get);
    const deferred = ((...args: unknown[]) => get()(...args)) as Compiled;
    // Fastify reads schemaEnv of an Ajv validator before calling it, and errors after a failed validation.
    Object.defineProperty(deferred, 'schemaEnv', { get: () => get().schemaEnv });
    Object.defineProperty(deferred, 'errors', { get: () => get().errors });
    return deferred;
  };
  const wrap =
    (factory: Factory): Factory =>
    (externalSchemas, options) => {
      const build = factory(externalSchemas, options);
      return (route) => lazy(() => build(route));
    };
  return {
    schemaController: {
      compilersFactory: {
        buildValidator: wrap(AjvCompiler() as unknown as Factory),
        buildSerializer: wrap(SerializerSelector() as unknown as Factory),
      } as NonNullable<FastifyServerOptions['schemaController']>['compilersFactory'],
    },
    /** Compiles what no request has needed yet, one schema per turn of the event loop so requests go first. */
    async compileAll() {
      for (const next of pending) {
        next();
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    pending: () => pending.size,
  };
}
