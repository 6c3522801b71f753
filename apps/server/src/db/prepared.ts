import type { PostgresPool, PostgresPoolClient } from 'kysely';
import type pg from 'pg';

/** Where a statement names itself for preparing: `/* prepared:consultations.append *\/` near its start. */
const MARK = /\/\* prepared:([\w.-]+) \*\//;

/** Marks a hot statement (use at its start, or in Kysely's `modifyFront`). Its text must not vary between calls. */
export const preparedAs = (name: string) => `/* prepared:${name} */`;

/**
 * The pool Kysely sees: statements carrying a `preparedAs(name)` mark go to PostgreSQL as named prepared statements,
 * parsed and planned once per connection and then reused (PostgreSQL's plan cache picks a generic plan once it is
 * as good as the custom ones). For the message path, where planning a statement costs more than running it.
 * Everything else passes through unchanged.
 */
export function preparingPool(pool: pg.Pool): PostgresPool {
  const wrappers = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let wrapper = wrappers.get(client);
      if (!wrapper) {
        wrapper = {
          query: ((text: unknown, values?: unknown[]) => {
            if (typeof text !== 'string') return client.query(text as pg.Submittable);
            const name = MARK.exec(text.slice(0, 120))?.[1];
            return name ? client.query({ name, text, values }) : client.query(text, values);
          }) as unknown as PostgresPoolClient['query'],
          release: (destroy?: boolean) => client.release(destroy),
        };
        wrappers.set(client, wrapper);
      }
      return wrapper;
    },
    end: () => pool.end(),
  };
}
