import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, entryBody, entryHash, GENESIS_HASH } from './audit.js';

type Entry = Parameters<typeof entryHash>[0];

/** Rebuild a JSON value with the keys of every object inserted in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reverseKeys(v)]),
  );
}

describe('canonicalJson', () => {
  it('SEC-1: key order does not matter, at any depth', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}',
    );
  });

  it('SEC-1: array order does matter', () => {
    expect(canonicalJson([1, 2])).not.toBe(canonicalJson([2, 1]));
    expect(canonicalJson({ ids: ['a', 'b'] })).toBe('{"ids":["a","b"]}');
  });

  it('SEC-1: properties whose value is undefined are dropped, as JSON.stringify does', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ n: { z: undefined, y: 'x' } })).toBe('{"n":{"y":"x"}}');
  });

  it('SEC-1: strings are JSON-escaped, so values cannot forge structure', () => {
    expect(canonicalJson({ a: 'x","b":"y' })).toBe('{"a":"x\\",\\"b\\":\\"y"}');
    expect(canonicalJson({ a: 'x","b":"y' })).not.toBe(canonicalJson({ a: 'x', b: 'y' }));
    expect(canonicalJson({ 名: '张三\n' })).toBe('{"名":"张三\\n"}');
  });

  it('SEC-1: for any JSON value the output is valid JSON that parses back to an equal value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // Compared with what JSON itself round-trips to (JSON has no -0, for one).
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });

  it('SEC-1: for any JSON value, inserting every object’s keys in another order gives the same text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(reverseKeys(value))).toBe(canonicalJson(value));
      }),
      { numRuns: 300 },
    );
  });

  it('SEC-1: object keys come out sorted, at every level', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 6 }), fc.integer(), { maxKeys: 8 }), (dict) => {
        // Nest the dictionary to check the inner level too.
        const text = canonicalJson({ z: dict, a: 0 });
        const keys = Object.keys(dict).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        const expected = `{"a":0,"z":{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(dict[k])}`).join(',')}}}`;
        expect(text).toBe(expected);
      }),
    );
  });
});

describe('entryHash', () => {
  const base: Entry = {
    id: 42,
    at: new Date('2025-03-04T05:06:07.890Z'),
    actor_id: '0b1e4f2c-6a4d-4e59-9d3f-2f0a8c1b7e11',
    actor_role: 'privacy_officer',
    action: 'staff.viewed_personal_data',
    subject_id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
    purpose: 'support ticket 1234',
    request_id: 'req-9',
    details: { fields: ['phone'], count: 1 },
    prev_hash: 'a'.repeat(64),
  };

  it('SEC-1: the hash is SHA-256 hex of prev_hash, a newline and the canonical body (independent computation)', () => {
    // The body written out by hand: keys sorted, `at` as ISO-8601 with milliseconds, details canonical too.
    const body =
      '{"action":"staff.viewed_personal_data",' +
      '"actorId":"0b1e4f2c-6a4d-4e59-9d3f-2f0a8c1b7e11",' +
      '"actorRole":"privacy_officer",' +
      '"at":"2025-03-04T05:06:07.890Z",' +
      '"details":{"count":1,"fields":["phone"]},' +
      '"id":42,' +
      '"purpose":"support ticket 1234",' +
      '"requestId":"req-9",' +
      '"subjectId":"7c9e6679-7425-40de-944b-e07fc1f90ae7"}';
    const expected = crypto
      .createHash('sha256')
      .update(`${'a'.repeat(64)}\n${body}`, 'utf8')
      .digest('hex');
    expect(entryHash(base)).toBe(expected);
    expect(entryHash(base)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('SEC-1: null fields are hashed as null (genesis entry with no actor)', () => {
    const entry: Entry = {
      id: 1,
      at: new Date(0),
      actor_id: null,
      actor_role: null,
      action: 'audit.verified',
      subject_id: null,
      purpose: null,
      request_id: null,
      details: {},
      prev_hash: GENESIS_HASH,
    };
    const body =
      '{"action":"audit.verified","actorId":null,"actorRole":null,"at":"1970-01-01T00:00:00.000Z","details":{},' +
      '"id":1,"purpose":null,"requestId":null,"subjectId":null}';
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(entryHash(entry)).toBe(
      crypto
        .createHash('sha256')
        .update('0'.repeat(64) + '\n' + body)
        .digest('hex'),
    );
  });

  it('SEC-1: changing any one field (id, at, actor, action, subject, purpose, request id, details, prev_hash) changes the hash', () => {
    const variants: Array<[string, Partial<Entry>]> = [
      ['id', { id: 43 }],
      ['at (1 ms later)', { at: new Date(base.at.getTime() + 1) }],
      ['actor_id', { actor_id: '0b1e4f2c-6a4d-4e59-9d3f-2f0a8c1b7e12' }],
      ['actor_id → null', { actor_id: null }],
      ['actor_role', { actor_role: 'support' }],
      ['action', { action: 'auth.sign_in' }],
      ['subject_id', { subject_id: null }],
      ['purpose', { purpose: 'support ticket 1235' }],
      ['purpose → empty', { purpose: '' }],
      ['request_id', { request_id: 'req-10' }],
      ['details value', { details: { fields: ['phone'], count: 2 } }],
      ['details array order', { details: { fields: ['phone', 'name'], count: 1 } }],
      ['details extra key', { details: { fields: ['phone'], count: 1, extra: true } }],
      ['prev_hash', { prev_hash: 'a'.repeat(63) + 'b' }],
    ];
    const original = entryHash(base);
    const seen = new Set([original]);
    for (const [name, change] of variants) {
      const hash = entryHash({ ...base, ...change });
      expect(hash, name).not.toBe(original);
      seen.add(hash);
    }
    expect(seen.size).toBe(variants.length + 1);
  });

  it('SEC-1: the hash does not depend on key order inside details (as stored and read back from jsonb)', () => {
    expect(entryHash({ ...base, details: { count: 1, fields: ['phone'] } })).toBe(entryHash(base));
  });

  it('SEC-1: field boundaries are unambiguous: moving text between prev_hash and purpose changes the hash', () => {
    const a = entryHash({ ...base, prev_hash: 'ab', purpose: 'c' });
    const b = entryHash({ ...base, prev_hash: 'a', purpose: 'bc' });
    expect(a).not.toBe(b);
  });

  it('SEC-1: the body the verifier builds is exactly the canonical JSON of the entry, for any field values', () => {
    const text = fc.option(fc.string({ unit: 'binary' }), { nil: null });
    fc.assert(
      fc.property(
        fc.record({
          id: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
          at: fc.date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }),
          actor_id: text,
          actor_role: text,
          action: fc.string({ unit: 'binary' }),
          subject_id: text,
          purpose: text,
          request_id: text,
          details: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null))),
        }),
        (e) => {
          const expected = canonicalJson({
            id: e.id,
            at: e.at.toISOString(),
            actorId: e.actor_id,
            actorRole: e.actor_role,
            action: e.action,
            subjectId: e.subject_id,
            purpose: e.purpose,
            requestId: e.request_id,
            details: e.details,
          });
          expect(entryBody(e, e.at.toISOString(), canonicalJson(e.details))).toBe(expected);
        },
      ),
      { numRuns: 300 },
    );
  });
});
