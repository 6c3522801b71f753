/**
 * The crisis-signal lexicon (CON-4): its shape, validation with messages an operator can act on, and the merge of
 * the maintained base file with an operator's extension file. Pure: callers read files, this only checks values.
 */

export const CRISIS_SEVERITIES = ['acute', 'concern'] as const;
export type CrisisSeverity = (typeof CRISIS_SEVERITIES)[number];

/**
 * acute: a plan, a named method or means, a time, a farewell, or an attempt in progress.
 * concern: thoughts of death or suicide, hopelessness, self-harm.
 */
export const CRISIS_CATEGORIES = [
  'plan',
  'means',
  'timing',
  'farewell',
  'attempt',
  'ideation',
  'hopelessness',
  'self_harm',
] as const;
export type CrisisCategory = (typeof CRISIS_CATEGORIES)[number];

export const LEXICON_LANGS = ['zh', 'en'] as const;
export type LexiconLang = (typeof LEXICON_LANGS)[number];

export interface LexiconRule {
  /** Stable id, stored in escalation records instead of any text: lower case letters, digits, `.`, `_`, `-`. */
  id: string;
  lang: LexiconLang;
  category: CrisisCategory;
  severity: CrisisSeverity;
  /** Literal phrases (matched after normalisation). */
  terms?: string[];
  /** Regular-expression sources (flags u and i). */
  patterns?: string[];
  /** Literal text that, right before a match, means it is not a hit (预防自杀). */
  notPrecededBy?: string[];
  /** Literal text that, right after a match, means it is not a hit (自杀率, 跳楼价). */
  notFollowedBy?: string[];
  /** Whether a negation right before the match cancels it (default true). */
  negatable?: boolean;
  /** Whether a third-party subject right before the match cancels it (default true). */
  thirdPartyHedge?: boolean;
  /** For maintainers; never shown to anyone. */
  note?: string;
}

export interface LexiconCues {
  /** Negation words (regular-expression sources) that cancel a match when they directly precede it. */
  negation: string[];
  /** Third-party subjects (他, 朋友, someone) that cancel a match when they directly precede it. */
  thirdParty: string[];
  /** Words allowed between a cue and the match (会, 想, 打算; really, going to). */
  fillers: string[];
}

export interface Lexicon {
  version: number;
  description?: string;
  cues: Record<LexiconLang, LexiconCues>;
  rules: LexiconRule[];
}

/** An operator's extension: more rules (an existing id replaces that rule), base rules to switch off, more cues. */
export interface LexiconExtension {
  description?: string;
  rules?: LexiconRule[];
  disable?: string[];
  cues?: Partial<Record<LexiconLang, Partial<LexiconCues>>>;
}

export class LexiconError extends Error {
  override readonly name = 'LexiconError';
}

const RULE_ID = /^[a-z0-9][a-z0-9._-]{0,79}$/;
const RULE_KEYS = new Set([
  'id',
  'lang',
  'category',
  'severity',
  'terms',
  'patterns',
  'notPrecededBy',
  'notFollowedBy',
  'negatable',
  'thirdPartyHedge',
  'note',
]);

type Json = unknown;
const isObject = (v: Json): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Repeated units that make backtracking patterns blow up, grown until one gets slow (bounded: it stops there). */
const PROBE_UNITS = ['a', '我', ' ', 'a ', '我 ', '不', '了'];
const PROBE_LENGTHS = [16, 20, 24, 28, 400];
const SLOW_MS = 40;

/**
 * Whether a pattern every patient message runs through could stall the server: exponential patterns such as
 * `(a+)+$` double their time with each character, so they are caught at a few dozen characters, long before they
 * take seconds; cubic ones at 400.
 */
export function isSlowPattern(re: RegExp): boolean {
  const timeOf = (input: string): number => {
    const start = Date.now();
    re.lastIndex = 0;
    re.test(input);
    return Date.now() - start;
  };
  for (const length of PROBE_LENGTHS)
    for (const unit of PROBE_UNITS) {
      const input = `${unit.repeat(Math.ceil(length / unit.length)).slice(0, length)}!`;
      // A busy machine can stall one run (GC, another process); a backtracking pattern is slow every time.
      if (timeOf(input) > SLOW_MS && timeOf(input) > SLOW_MS && timeOf(input) > SLOW_MS) return true;
    }
  return false;
}

class Checker {
  constructor(
    private readonly source: string,
    private readonly checkSpeed = true,
  ) {}

  fail(path: string, message: string): never {
    throw new LexiconError(`Crisis lexicon ${this.source}: ${path} ${message}`);
  }

  regex(path: string, src: string, flags = 'u'): void {
    let re: RegExp;
    try {
      re = new RegExp(src, flags);
    } catch (err) {
      this.fail(path, `is not a valid regular expression (${(err as Error).message})`);
    }
    if (this.checkSpeed && isSlowPattern(re))
      this.fail(path, 'is too slow on long input (catastrophic backtracking); simplify it');
  }

  strings(path: string, value: Json, opts: { regex?: boolean; nonEmpty?: boolean } = {}): string[] {
    if (!Array.isArray(value)) this.fail(path, 'must be a list of strings');
    if (opts.nonEmpty && value.length === 0) this.fail(path, 'must not be empty');
    value.forEach((item, i) => {
      if (typeof item !== 'string' || item.trim() === '') this.fail(`${path}[${i}]`, 'must be a non-empty string');
      if (opts.regex) this.regex(`${path}[${i}]`, item);
    });
    return value as string[];
  }

  oneOf<T extends string>(path: string, value: Json, allowed: readonly T[]): T {
    if (typeof value !== 'string' || !allowed.includes(value as T))
      this.fail(path, `must be one of ${allowed.map((a) => `"${a}"`).join(', ')}, got ${JSON.stringify(value)}`);
    return value as T;
  }

  rule(path: string, value: Json): LexiconRule {
    if (!isObject(value)) this.fail(path, 'must be an object');
    for (const key of Object.keys(value)) if (!RULE_KEYS.has(key)) this.fail(`${path}.${key}`, 'is not a known field');
    const id = value.id;
    if (typeof id !== 'string' || !RULE_ID.test(id))
      this.fail(`${path}.id`, 'must be lower-case letters, digits, ".", "_" or "-" (at most 80), e.g. "zh.ideation.x"');
    const where = `${path} (${id})`;
    const rule: LexiconRule = {
      id,
      lang: this.oneOf(`${where}.lang`, value.lang, LEXICON_LANGS),
      category: this.oneOf(`${where}.category`, value.category, CRISIS_CATEGORIES),
      severity: this.oneOf(`${where}.severity`, value.severity, CRISIS_SEVERITIES),
    };
    if (value.terms !== undefined) rule.terms = this.strings(`${where}.terms`, value.terms, { nonEmpty: true });
    if (value.patterns !== undefined)
      rule.patterns = this.strings(`${where}.patterns`, value.patterns, { regex: true, nonEmpty: true });
    if (!rule.terms && !rule.patterns) this.fail(where, 'needs "terms" or "patterns"');
    if (value.notPrecededBy !== undefined)
      rule.notPrecededBy = this.strings(`${where}.notPrecededBy`, value.notPrecededBy);
    if (value.notFollowedBy !== undefined)
      rule.notFollowedBy = this.strings(`${where}.notFollowedBy`, value.notFollowedBy);
    for (const flag of ['negatable', 'thirdPartyHedge'] as const) {
      if (value[flag] === undefined) continue;
      if (typeof value[flag] !== 'boolean') this.fail(`${where}.${flag}`, 'must be true or false');
      rule[flag] = value[flag];
    }
    if (value.note !== undefined) {
      if (typeof value.note !== 'string') this.fail(`${where}.note`, 'must be a string');
      rule.note = value.note;
    }
    return rule;
  }

  rules(path: string, value: Json): LexiconRule[] {
    if (!Array.isArray(value)) this.fail(path, 'must be a list of rules');
    const rules = value.map((r, i) => this.rule(`${path}[${i}]`, r));
    const seen = new Set<string>();
    for (const r of rules) {
      if (seen.has(r.id)) this.fail(path, `has the rule id "${r.id}" twice`);
      seen.add(r.id);
    }
    return rules;
  }

  cues(path: string, value: Json, partial: boolean): Partial<Record<LexiconLang, Partial<LexiconCues>>> {
    if (!isObject(value)) this.fail(path, 'must be an object with "zh" and "en"');
    const out: Partial<Record<LexiconLang, Partial<LexiconCues>>> = {};
    for (const key of Object.keys(value)) {
      const lang = this.oneOf(`${path} key`, key, LEXICON_LANGS);
      const cues = value[key];
      if (!isObject(cues)) this.fail(`${path}.${lang}`, 'must be an object');
      const entry: Partial<LexiconCues> = {};
      for (const kind of Object.keys(cues)) {
        const k = this.oneOf(`${path}.${lang} key`, kind, ['negation', 'thirdParty', 'fillers'] as const);
        entry[k] = this.strings(`${path}.${lang}.${k}`, cues[kind], { regex: true });
      }
      if (!partial)
        for (const k of ['negation', 'thirdParty', 'fillers'] as const)
          if (!entry[k]) this.fail(`${path}.${lang}`, `needs "${k}"`);
      out[lang] = entry;
    }
    if (!partial) for (const lang of LEXICON_LANGS) if (!out[lang]) this.fail(path, `needs "${lang}"`);
    return out;
  }
}

/**
 * Checks a parsed base lexicon; throws LexiconError naming the field that is wrong. `checkSpeed: false` skips the
 * backtracking probe, for the lexicon we ship (a unit test probes every shipped pattern); operator files always get it.
 */
export function parseLexicon(value: unknown, source = '(base)', opts: { checkSpeed?: boolean } = {}): Lexicon {
  const c: Checker = new Checker(source, opts.checkSpeed ?? true);
  if (!isObject(value)) c.fail('the file', 'must hold a JSON object');
  if (typeof value.version !== 'number' || !Number.isInteger(value.version) || value.version < 1)
    c.fail('version', 'must be a whole number from 1');
  return {
    version: value.version,
    ...(typeof value.description === 'string' ? { description: value.description } : {}),
    cues: c.cues('cues', value.cues, false) as Record<LexiconLang, LexiconCues>,
    rules: c.rules('rules', value.rules),
  };
}

/** Checks a parsed extension file; throws LexiconError naming the field that is wrong. */
export function parseLexiconExtension(value: unknown, source = '(extension)'): LexiconExtension {
  const c: Checker = new Checker(source);
  if (!isObject(value)) c.fail('the file', 'must hold a JSON object');
  for (const key of Object.keys(value))
    if (!['description', 'rules', 'disable', 'cues', 'version', '$comment'].includes(key))
      c.fail(key, 'is not a known field (expected "rules", "disable", "cues", "description")');
  const ext: LexiconExtension = {};
  if (typeof value.description === 'string') ext.description = value.description;
  if (value.rules !== undefined) ext.rules = c.rules('rules', value.rules);
  if (value.disable !== undefined) ext.disable = c.strings('disable', value.disable);
  if (value.cues !== undefined) ext.cues = c.cues('cues', value.cues, true);
  if (!ext.rules && !ext.disable && !ext.cues) c.fail('the file', 'adds nothing: give "rules", "disable" or "cues"');
  return ext;
}

/**
 * The base lexicon with an extension applied: extension rules are added (one with an existing id replaces it),
 * `disable` switches base rules off (an unknown id is an error, so a typo cannot silently keep a rule on), cues
 * are added to the base cues.
 */
export function mergeLexicon(base: Lexicon, ext: LexiconExtension | null, source = '(extension)'): Lexicon {
  if (!ext) return base;
  const byId = new Map(base.rules.map((r) => [r.id, r]));
  for (const id of ext.disable ?? []) {
    if (!byId.has(id))
      throw new LexiconError(
        `Crisis lexicon ${source}: disable names "${id}", which is not a rule of the base lexicon`,
      );
    byId.delete(id);
  }
  for (const r of ext.rules ?? []) byId.set(r.id, r);
  const cues = { ...base.cues };
  for (const lang of LEXICON_LANGS) {
    const extra = ext.cues?.[lang];
    if (!extra) continue;
    cues[lang] = {
      negation: [...cues[lang].negation, ...(extra.negation ?? [])],
      thirdParty: [...cues[lang].thirdParty, ...(extra.thirdParty ?? [])],
      fillers: [...cues[lang].fillers, ...(extra.fillers ?? [])],
    };
  }
  return { ...base, cues, rules: [...byId.values()] };
}
