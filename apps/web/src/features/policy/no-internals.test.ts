import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { callsLocales } from '../calls/locales';
import { consultationsLocales } from '../consultations/locales';
import { directoryLocales } from '../directory/locales';
import { noticesLocales } from '../notices/locales';
import { onboardingLocales } from '../onboarding/locales';
import { pushLocales } from '../push/locales';
import { en } from '../../lib/locales/en';
import { zhCN } from '../../lib/locales/zh-CN';

const SRC = path.resolve(import.meta.dirname, '../..');
/** Staff-only screens: the staff console may show versions, rule ids and fingerprints. */
const STAFF_ONLY = [/^apps\/admin\//, /^features\/admin\//, /^features\/admin-review\//, /^features\/crisis\/admin\//];

function strings(value: unknown, at: string): Array<[string, string]> {
  if (typeof value === 'string') return [[at, value]];
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => strings(v, at ? `${at}.${k}` : k));
  return [];
}

describe('what doctors and patients see', () => {
  it('no copy of the doctor and patient apps shows a version, a rule id or a SHA-256 fingerprint', () => {
    const withoutStaff = (bundle: typeof zhCN | typeof en) => ({ ...bundle, admin: undefined });
    const all = [
      ...strings(withoutStaff(zhCN), 'zh'),
      ...strings(withoutStaff(en), 'en'),
      ...[onboardingLocales, consultationsLocales, callsLocales, directoryLocales, noticesLocales, pushLocales].flatMap(
        (l, i) => [...strings(l['zh-CN'], `${i}.zh`), ...strings(l.en, `${i}.en`)],
      ),
    ];
    expect(all.length).toBeGreaterThan(300);
    const internal = /\{\{\s*(version|hash|rule|ruleId|sha\w*)\s*\}\}|SHA-?256|哈希|指纹|规则版本|rules? version/i;
    expect(all.filter(([, text]) => internal.test(text))).toEqual([]);
  });

  it('no doctor or patient screen renders a version number, a rule set, or a text or input hash', () => {
    const screens = readdirSync(SRC, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && e.name.endsWith('.tsx'))
      .map((e) => path.relative(SRC, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
      .filter((f) => !STAFF_ONLY.some((re) => re.test(f)));
    expect(screens.length).toBeGreaterThan(50);
    // Hashes, rule-set versions and version numbers passed to copy, and a rule id shown as text (test ids may use it).
    const rendering =
      /textSha256|inputsSha256|ruleSetVersion|shortHash\(|\{\s*version:\s*\w|>\s*\{[\w.]*\.(version|rule)\s*\}|·\s*\$\{[\w.]*\.rule\}/;
    const offending = screens.flatMap((f) =>
      readFileSync(path.join(SRC, f), 'utf8')
        .split('\n')
        .flatMap((line, i) => (rendering.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offending).toEqual([]);
  });
});
