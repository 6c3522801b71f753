import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCrisisDetector } from '@anxin/domain/crisis';
import { ConfigError, loadConfig } from '../../config.js';
import { crisisResources, telOf } from './crisis.resources.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-crisis-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string) {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
}
const load = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'test', ...env }, dir);

describe('crisis configuration', () => {
  it('CON-4: without settings the maintained lexicon and no local lines are used', () => {
    const c = load({}).crisis;
    expect(c.lexiconFile).toBeNull();
    expect(c.localLines).toEqual([]);
    expect(createCrisisDetector(c.lexicon).assess('我想死').severity).toBe('concern');
  });

  it('CON-4: an operator extension file is merged at start', () => {
    const p = file(
      'ext.json',
      JSON.stringify({
        rules: [{ id: 'local.means.cliff', lang: 'zh', category: 'means', severity: 'acute', terms: ['跳崖'] }],
        disable: ['zh.hopeless.burden'],
      }),
    );
    const c = load({ ANXIN_CRISIS_LEXICON_FILE: 'ext.json' }).crisis;
    expect(c.lexiconFile).toBe(p);
    const d = createCrisisDetector(c.lexicon);
    expect(d.assess('我想跳崖').hits.map((h) => h.ruleId)).toEqual(['local.means.cliff']);
    expect(d.assess('我就是个累赘').severity).toBeNull();
  });

  it('CON-4: a missing, unparsable or malformed extension file stops the start with a clear message', () => {
    expect(() => load({ ANXIN_CRISIS_LEXICON_FILE: 'missing.json' })).toThrow(ConfigError);
    expect(() => load({ ANXIN_CRISIS_LEXICON_FILE: 'missing.json' })).toThrow(/cannot read .*missing\.json \(ENOENT\)/);
    file('broken.json', '{ "rules": [ ');
    expect(() => load({ ANXIN_CRISIS_LEXICON_FILE: 'broken.json' })).toThrow(/broken\.json is not valid JSON/);
    file(
      'bad.json',
      JSON.stringify({ rules: [{ id: 'x.y', lang: 'zh', category: 'mood', severity: 'acute', terms: ['a'] }] }),
    );
    expect(() => load({ ANXIN_CRISIS_LEXICON_FILE: 'bad.json' })).toThrow(
      /ANXIN_CRISIS_LEXICON_FILE: Crisis lexicon .*bad\.json: rules\[0\] \(x\.y\)\.category must be one of/,
    );
  });

  it('CON-4: local crisis lines are read from ANXIN_CRISIS_LOCAL_LINES and placed after the national hotline', () => {
    const c = load({
      ANXIN_CRISIS_LOCAL_LINES: '北京心理危机研究与干预中心=010-82951332; 本院热线 = +86 28 8542 2000 ;',
    }).crisis;
    expect(c.localLines).toEqual([
      { name: '北京心理危机研究与干预中心', phone: '010-82951332' },
      { name: '本院热线', phone: '+86 28 8542 2000' },
    ]);
    const resources = crisisResources(c.localLines);
    expect(resources.map((r) => r.tel)).toEqual(['12356', '01082951332', '+862885422000', '120', '110']);
    expect(() => load({ ANXIN_CRISIS_LOCAL_LINES: '没有号码' })).toThrow(/ANXIN_CRISIS_LOCAL_LINES: each entry/);
    expect(() => load({ ANXIN_CRISIS_LOCAL_LINES: '热线=call me' })).toThrow(ConfigError);
    expect(telOf('(021) 1234-5678')).toBe('02112345678');
  });
});
