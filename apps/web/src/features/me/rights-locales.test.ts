import { ERASURE_SCOPES, REFUSAL_GROUNDS } from '@anxin/contracts';
import { describe, expect, it } from 'vitest';
import { rightsLocales } from './rights-locales';

function keys(value: unknown, at = ''): string[] {
  if (typeof value === 'string') return [at];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => keys(v, at ? `${at}.${k}` : k));
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Object.values(value as Record<string, unknown>).flatMap(strings);
}

describe('个人信息与隐私 copy', () => {
  const zh = rightsLocales['zh-CN'].rights;
  const en = rightsLocales.en.rights;

  it('English has exactly the Chinese keys', () => {
    expect(keys(en).sort()).toEqual(keys(zh).sort());
  });

  it('names every refusal ground, erasure scope and status in plain language', () => {
    for (const g of REFUSAL_GROUNDS) expect(zh.grounds[g]).toBeTruthy();
    for (const s of ERASURE_SCOPES) expect(zh.scopes[s]).toBeTruthy();
    expect(Object.keys(zh.requests.status).sort()).toEqual(
      ['completed', 'in_progress', 'received', 'refused', 'withdrawn'].sort(),
    );
  });

  it('shows no version, fingerprint or internal code', () => {
    const internal = /SHA-?256|哈希|指纹|[Vv]ersion\s*\d|_[a-z]+_|\{\{\s*(version|hash)\s*\}\}/;
    expect([...strings(zh), ...strings(en)].filter((s) => internal.test(s))).toEqual([]);
  });

  it('speaks to the person as 您', () => {
    expect(strings(zh).filter((s) => /你/.test(s))).toEqual([]);
  });
});
