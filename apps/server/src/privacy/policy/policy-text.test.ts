import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { personalColumns } from '../inventory/inventory.js';
import { PROCESSORS } from '../inventory/processors.js';
import { LEGAL_BASES, PURPOSES, RETENTION } from '../inventory/purposes.js';
import { generatePolicy, sha256Hex, type OperatorInfo } from './policy-text.js';

const operator: OperatorInfo = {
  name: '示例心理互联网医院有限公司',
  hotline: '400-123-4567',
  email: 'dpo@clinic.example.cn',
};

type Lang = 'zh' | 'en';
const headings: Record<Lang, [start: string, end: string]> = {
  zh: ['## 一、', '## 二、'],
  en: ['## 1. ', '## 2. '],
};

/** The bullet paragraphs of section 1 ("what personal data we process"). */
function dataBullets(text: string, lang: Lang): string[] {
  const [startHeading, endHeading] = headings[lang];
  const start = text.indexOf(startHeading);
  const end = text.indexOf(endHeading);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return text
    .slice(start, end)
    .split('\n')
    .filter((line) => line.startsWith('- **'));
}

/** Personal columns grouped by category, straight from the inventory. */
function categories() {
  const byCategory = new Map<string, ReturnType<typeof personalColumns>>();
  for (const col of personalColumns()) {
    byCategory.set(col.spec.category, [...(byCategory.get(col.spec.category) ?? []), col]);
  }
  return byCategory;
}

describe('generatePolicy', () => {
  const policy = generatePolicy(operator);

  it('POL-2: both languages name the operator and give its hotline and email', () => {
    for (const lang of ['zh', 'en'] as const) {
      expect(policy[lang].text).toContain(operator.name);
      expect(policy[lang].text).toContain(operator.hotline);
      expect(policy[lang].text).toContain(operator.email);
      // The summary shown before acceptance also says how to reach a person.
      expect(policy[lang].summary).toContain(operator.hotline);
    }
    expect(policy.zh.text).toMatch(/\p{Script=Han}/u);
    // Apart from the (Chinese) operator name, the English text is English.
    expect(policy.en.text.replaceAll(operator.name, '')).not.toMatch(/\p{Script=Han}/u);
  });

  it('POL-2: the inventory has personal categories to describe (guards the checks below against an empty inventory)', () => {
    expect(categories().size).toBeGreaterThanOrEqual(5);
    expect(categories().has('contact.phone')).toBe(true);
  });

  it('POL-2: each personal category of the inventory yields exactly one bullet, in both languages', () => {
    const count = categories().size;
    for (const lang of ['zh', 'en'] as const) {
      const bullets = dataBullets(policy[lang].text, lang);
      expect(bullets).toHaveLength(count);
      expect(new Set(bullets).size).toBe(count);
      // Distinct, human labels: no two bullets share a label.
      const labels = bullets.map((b) => /^- \*\*(.+?)\*\*/.exec(b)?.[1]);
      expect(new Set(labels).size).toBe(count);
    }
  });

  it('POL-2: every category is shown through a human label, never its internal key', () => {
    for (const cat of categories().keys()) {
      expect(policy.zh.text).not.toContain(cat);
      expect(policy.en.text).not.toContain(cat);
    }
  });

  it('INV-2 / POL-2: for each category some bullet states all its purposes, legal bases and retention periods from the inventory', () => {
    for (const lang of ['zh', 'en'] as const) {
      const bullets = dataBullets(policy[lang].text, lang);
      for (const [cat, cols] of categories()) {
        const expected = [
          ...cols.flatMap((c) => c.spec.purposes.map((p) => PURPOSES[p][lang])),
          ...cols.map((c) => LEGAL_BASES[c.spec.legalBasis][lang]),
          ...cols.map((c) => RETENTION[c.spec.retention][lang]),
        ];
        const match = bullets.find((b) => expected.every((phrase) => b.includes(phrase)));
        expect(match, `${lang}: no bullet describes ${cat}`).toBeDefined();
      }
    }
  });

  it('POL-2: only categories whose every column is protected claim encrypted storage', () => {
    const protectedCount = [...categories().values()].filter((cols) =>
      cols.every((c) => c.spec.protection !== 'clear'),
    ).length;
    // The inventory holds clear-text personal columns (e.g. users.locale), so the claim must not be everywhere.
    expect(protectedCount).toBeLessThan(categories().size);
    expect(dataBullets(policy.zh.text, 'zh').filter((b) => b.includes('加密或去标识化存储'))).toHaveLength(
      protectedCount,
    );
    expect(
      dataBullets(policy.en.text, 'en').filter((b) => b.includes('stored encrypted or pseudonymised')),
    ).toHaveLength(protectedCount);
  });

  it('INV-1 / POL-2: every processor of the registry appears by name, with what it receives and its link', () => {
    const processors = Object.values(PROCESSORS);
    expect(processors.length).toBeGreaterThan(0);
    for (const p of processors) {
      expect(policy.zh.text).toContain(p.name.zh);
      expect(policy.en.text).toContain(p.name.en);
      expect(policy.zh.text).toContain(p.dataReceived.zh);
      expect(policy.en.text).toContain(p.dataReceived.en);
      expect(policy.zh.text).toContain(p.link);
      expect(policy.en.text).toContain(p.link);
    }
  });

  it('POL-2: changes take effect 7 days after notice ("7 日" in Chinese, "7 days" in English)', () => {
    expect(policy.zh.text).toContain('7 日');
    expect(policy.en.text).toContain('7 days');
  });

  it('POL-2: the text is deterministic: the same operator gives the same sha256 in both languages', () => {
    const again = generatePolicy({ ...operator });
    expect(sha256Hex(again.zh.text)).toBe(sha256Hex(policy.zh.text));
    expect(sha256Hex(again.en.text)).toBe(sha256Hex(policy.en.text));
    expect(again).toEqual(policy);
  });

  it('POL-2: changing the hotline changes the text and its hash (so a new version is published)', () => {
    const changed = generatePolicy({ ...operator, hotline: '400-123-4568' });
    expect(sha256Hex(changed.zh.text)).not.toBe(sha256Hex(policy.zh.text));
    expect(sha256Hex(changed.en.text)).not.toBe(sha256Hex(policy.en.text));
    expect(changed.zh.text).not.toContain(operator.hotline);
  });

  it('POL-2: sha256Hex is SHA-256 of the UTF-8 text in lower-case hex', () => {
    // FIPS 180-2 test vector for "abc".
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex('安心')).toBe(crypto.createHash('sha256').update(Buffer.from('安心', 'utf8')).digest('hex'));
  });
});
