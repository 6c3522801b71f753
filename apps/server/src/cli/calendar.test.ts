import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const repoRoot = new URL('../../../../', import.meta.url).pathname;
const run = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'apps/server/src/cli/calendar.ts', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });

describe('npm run -s calendar', () => {
  it('RIG-5: `calendar due 2026-09-18` prints the due date alone; a year without data warns on stderr; bad input exits 2', () => {
    const ok = run('due', '2026-09-18');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toBe('2026-09-24\n');
    expect(run('due', '2026-09-18', '1').stdout).toBe('2026-09-20\n');
    const provisional = run('due', '2026-12-29');
    expect(provisional.stdout).toBe('2027-01-03\n');
    expect(provisional.stderr).toMatch(/2027/);
    const bad = run('due', '2026-02-30');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/2026-02-30/);
    expect(run('due').status).toBe(2);
  });
});
