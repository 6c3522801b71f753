import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const repoRoot = new URL('../../../../', import.meta.url).pathname;
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'apps/server/src/cli/calendar.ts', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anxin-calendar-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const noticeFile = (name: string, body: unknown) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, typeof body === 'string' ? body : JSON.stringify(body));
  return file;
};

/** Each case starts Node with tsx (about half a second). */
describe('npm run -s calendar', { timeout: 30_000 }, () => {
  it('RIG-5: `calendar due 2026-09-30` prints only the due date: Oct 8, 9, Sat Oct 10 (make-up), 12, 13', () => {
    const r = run('due', '2026-09-30');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('2026-10-13\n');
    expect(r.stderr).toBe('');
  });

  it('RIG-5: `calendar due 2026-09-18 [N]` counts make-up Sunday 09-20', () => {
    expect(run('due', '2026-09-18').stdout).toBe('2026-09-24\n');
    expect(run('due', '2026-09-18', '1').stdout).toBe('2026-09-20\n');
  });

  it('RIG-5: a year without data gives a provisional date with a warning on stderr; a --notice makes it exact', () => {
    const provisional = run('due', '2026-12-29');
    expect(provisional.status).toBe(0);
    expect(provisional.stdout).toBe('2027-01-03\n');
    expect(provisional.stderr).toMatch(/2027/);
    expect(provisional.stderr).toMatch(/--notice/);
    const file = noticeFile('2027.json', { year: 2027, holidays: ['2027-01-01'], workdays: [] });
    const exact = run('due', '2026-12-29', '--notice', file);
    expect(exact.status).toBe(0);
    expect(exact.stdout).toBe('2027-01-06\n');
    expect(exact.stderr).toBe('');
    const years = run('years', '--notice', file);
    expect(years.stdout.trim().split('\n').map(Number)).toEqual(Array.from({ length: 24 }, (_, i) => 2004 + i));
  });

  it('RIG-5: `calendar years` lists the years with data, one a line', () => {
    const r = run('years');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(Array.from({ length: 23 }, (_, i) => `${2004 + i}\n`).join(''));
  });

  it('RIG-5: bad input exits 2 with a specific message in Chinese and English, nothing on stdout', () => {
    const cases: Array<[args: string[], message: RegExp]> = [
      [['due', '2026-02-30'], /2026-02-30/],
      [['due', '2026/09/18'], /YYYY-MM-DD/],
      [['due', '2026-09-18', '0'], /1 to 365/],
      [['due', '2026-09-18', '5x'], /工作日数/],
      [['due'], /Usage/],
      [['frobnicate'], /用法/],
      [['due', '2026-09-18', '--notice'], /--notice needs/],
      [['due', '2026-09-18', '--notices', 'x.json'], /Unknown option: --notices/],
      [['due', '2026-09-18', '--notice', path.join(dir, 'missing.json')], /Cannot read the notice file/],
      [['due', '2026-09-18', '--notice', noticeFile('broken.json', '{"year":')], /无法读取/],
      [
        [
          'due',
          '2026-09-18',
          '--notice',
          noticeFile('bad.json', { year: 2027, holidays: ['2026-01-01'], workdays: [] }),
        ],
        /NOTICE_DATE_OUTSIDE_YEAR/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = run(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stdout, args.join(' ')).toBe('');
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr, args.join(' ')).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
