import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Every source file whose strings can reach a doctor, a patient or staff: the apps, the server and domain rules. */
function sourceFiles(dir: string): string[] {
  return (
    readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() && /\.(ts|tsx|json)$/.test(e.name))
      .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)))
      .filter((f) => !f.includes('node_modules') && !/\.test\.ts$/.test(f))
      // The crisis lexicon matches what patients themselves type ("你"), so it must keep both forms.
      .filter((f) => !f.startsWith(path.join('packages', 'domain', 'src', 'crisis')))
  );
}

describe('product copy', () => {
  it('addresses doctors, patients and staff as 您 everywhere, never 你', () => {
    const files = ['apps/web/src', 'apps/server/src', 'packages/domain/src', 'packages/contracts/src'].flatMap(
      sourceFiles,
    );
    expect(files.length).toBeGreaterThan(100);
    const offending = files.flatMap((f) =>
      readFileSync(path.join(ROOT, f), 'utf8')
        .split('\n')
        .flatMap((line, i) => (line.includes('你') ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
    );
    expect(offending).toEqual([]);
  });
});
