import fs from 'node:fs';
import path from 'node:path';
import { lexiconWithExtension, LexiconError, type Lexicon } from '@anxin/domain/crisis';

/** A local crisis line configured by the operator (ANXIN_CRISIS_LOCAL_LINES). */
export interface LocalLine {
  name: string;
  phone: string;
}

export interface CrisisConfig {
  /** The maintained lexicon merged with the operator's extension file, validated at start. */
  lexicon: Lexicon;
  /** Where the extension came from (shown in errors), or null for the maintained lexicon only. */
  lexiconFile: string | null;
  localLines: LocalLine[];
}

/** The same error type config.ts throws, passed in so this module does not import config.ts (no cycle). */
type ErrorCtor = new (message: string) => Error;

const PHONE = /^\+?[0-9][0-9 -]{1,24}[0-9]$/;

/**
 * ANXIN_CRISIS_LEXICON_FILE: a JSON file with more rules, `disable`d base rules and more cues (format in
 * docs/decisions/0008-crisis-signals.md), merged with the maintained lexicon when the server starts; a file that
 * cannot be read or is malformed stops the start with a message naming the file and the field.
 *
 * ANXIN_CRISIS_LOCAL_LINES: local crisis lines shown next to the national ones, as `name=phone` pairs separated
 * by `;`, e.g. `北京心理危机研究与干预中心=010-82951332;上海市心理热线=021-12320-5`.
 */
export function loadCrisisConfig(env: NodeJS.ProcessEnv, cwd: string, ConfigError: ErrorCtor): CrisisConfig {
  const file = env.ANXIN_CRISIS_LEXICON_FILE ? path.resolve(cwd, env.ANXIN_CRISIS_LEXICON_FILE) : null;
  let lexicon: Lexicon;
  if (file) {
    let raw: string;
    try {
      raw = fs.readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(
        `ANXIN_CRISIS_LEXICON_FILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (err) {
      throw new ConfigError(`ANXIN_CRISIS_LEXICON_FILE: ${file} is not valid JSON (${(err as Error).message})`);
    }
    try {
      lexicon = lexiconWithExtension(parsed, file);
    } catch (err) {
      if (err instanceof LexiconError) throw new ConfigError(`ANXIN_CRISIS_LEXICON_FILE: ${err.message}`);
      throw err;
    }
  } else {
    lexicon = lexiconWithExtension(null);
  }

  const localLines: LocalLine[] = [];
  for (const entry of (env.ANXIN_CRISIS_LOCAL_LINES ?? '').split(';')) {
    if (entry.trim() === '') continue;
    const eq = entry.lastIndexOf('=');
    const name = eq > 0 ? entry.slice(0, eq).trim() : '';
    const phone = eq > 0 ? entry.slice(eq + 1).trim() : '';
    if (!name || name.length > 60 || !PHONE.test(phone))
      throw new ConfigError(
        `ANXIN_CRISIS_LOCAL_LINES: each entry must be "name=phone" (a name of at most 60 characters, a phone number of digits, spaces and hyphens), separated by ";"; could not read "${entry.trim()}"`,
      );
    localLines.push({ name, phone });
  }
  return { lexicon, lexiconFile: file, localLines };
}
