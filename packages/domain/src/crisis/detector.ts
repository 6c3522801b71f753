import type { CrisisCategory, CrisisSeverity, Lexicon, LexiconCues, LexiconLang, LexiconRule } from './lexicon.js';
import { normaliseText } from './normalise.js';

/** One rule that matched (and was not cancelled by a negation or a third-party subject). */
export interface CrisisHit {
  ruleId: string;
  category: CrisisCategory;
  severity: CrisisSeverity;
}

/** A match that was cancelled, with why; for tests and for tuning the lexicon. */
export interface CrisisSuppressed {
  ruleId: string;
  reason: 'negated' | 'third_party';
}

export interface CrisisAssessment {
  /** The highest severity among the hits; null when nothing matched. */
  severity: CrisisSeverity | null;
  /** One entry per rule that matched, in lexicon order. Never contains the text. */
  hits: CrisisHit[];
  suppressed: CrisisSuppressed[];
}

export interface CrisisDetector {
  assess(text: string): CrisisAssessment;
  readonly ruleCount: number;
}

/** Ends a clause: negation and third-party subjects only reach within the clause of the match. */
const CLAUSE_END = /[。！？!?；;，,、\n\r…:：.]/u;
/** How far back a cue (plus fillers) may start before the match, in characters. */
const CUE_WINDOW: Record<LexiconLang, number> = { zh: 14, en: 48 };

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const alternation = (sources: string[]) => sources.map((s) => `(?:${s})`).join('|');

interface CompiledRule {
  rule: LexiconRule;
  regex: RegExp;
}
interface CompiledCues {
  /** Whole suffix of the clause prefix is a negation cue followed only by fillers. */
  negation: RegExp;
  thirdParty: RegExp;
}

function compileCues(lang: LexiconLang, cues: LexiconCues): CompiledCues {
  const fillers = cues.fillers.length > 0 ? alternation(cues.fillers) : '(?!)';
  const tail = lang === 'zh' ? `(?:${fillers})*$` : `(?:\\s+(?:${fillers}))*\\s*$`;
  const anchored = (list: string[]) => new RegExp(`^(?:${list.length > 0 ? alternation(list) : '(?!)'})${tail}`, 'iu');
  return { negation: anchored(cues.negation), thirdParty: anchored(cues.thirdParty) };
}

function compileRule(rule: LexiconRule): CompiledRule {
  const alts = [...(rule.terms ?? []).map((t) => escape(normaliseText(t))), ...(rule.patterns ?? [])];
  const before = rule.notPrecededBy?.length
    ? `(?<!${rule.notPrecededBy.map((t) => escape(normaliseText(t))).join('|')})`
    : '';
  const after = rule.notFollowedBy?.length
    ? `(?!${rule.notFollowedBy.map((t) => escape(normaliseText(t))).join('|')})`
    : '';
  return { rule, regex: new RegExp(`${before}(?:${alternation(alts)})${after}`, 'giu') };
}

/**
 * The part of the clause before `index`, at most `window` characters back (plus room for trailing spaces): cues
 * are only ever looked for in that window, and a bounded walk keeps a long message linear in its length.
 */
function clausePrefix(text: string, index: number, window: number): string {
  const limit = Math.max(0, index - window - 16);
  let start = index;
  while (start > limit && !CLAUSE_END.test(text[start - 1]!)) start--;
  return text.slice(start, index).trimEnd();
}

/** After this many cancelled matches of one rule in one message, the rest of that rule is not examined. */
const MAX_SUPPRESSED_PER_RULE = 20;

/**
 * Whether some suffix of `prefix` is a cue followed only by fillers ("我从来没有想过" + 自杀). For Chinese, an
 * A-not-A question (是不是, 有没有, 会不会) is not a negation: "我是不是该去死" stays a hit.
 */
function cueBefore(prefix: string, cue: RegExp, lang: LexiconLang, questionAware: boolean): boolean {
  const from = Math.max(0, prefix.length - CUE_WINDOW[lang]);
  for (let i = from; i < prefix.length; i++) {
    if (lang === 'en' && i > 0 && /[a-z0-9']/i.test(prefix[i - 1]!)) continue; // start on a word boundary
    if (!cue.test(prefix.slice(i))) continue;
    if (questionAware && lang === 'zh' && i > 0 && (prefix[i] === '不' || prefix[i] === '没')) {
      if (prefix[i - 1] === prefix[i + 1]) continue;
    }
    return true;
  }
  return false;
}

/**
 * Compiles a (validated) lexicon into a detector. Matching runs on normalised text; a match is cancelled when,
 * within its clause, a negation (不, 没有, never) or a third-party subject (他, 朋友, someone) directly precedes it,
 * with only filler words in between (会, 想过, 打算; really, going to). Phrases that carry their own negation
 * (不想活, 活不下去) are rules themselves, so "我不想活了" is a hit while "我不想死" is not.
 */
export function createCrisisDetector(lexicon: Lexicon): CrisisDetector {
  const rules = lexicon.rules.map(compileRule);
  const cues = {
    zh: compileCues('zh', lexicon.cues.zh),
    en: compileCues('en', lexicon.cues.en),
  } satisfies Record<LexiconLang, CompiledCues>;

  return {
    ruleCount: rules.length,
    assess(raw: string): CrisisAssessment {
      const text = normaliseText(raw);
      const hits: CrisisHit[] = [];
      const suppressed: CrisisSuppressed[] = [];
      for (const { rule, regex } of rules) {
        regex.lastIndex = 0;
        let reason: CrisisSuppressed['reason'] | null = null;
        let hit = false;
        let cancelled = 0;
        for (const m of text.matchAll(regex)) {
          if (cancelled >= MAX_SUPPRESSED_PER_RULE) break;
          cancelled++;
          const prefix = clausePrefix(text, m.index, CUE_WINDOW[rule.lang]);
          const c = cues[rule.lang];
          if (rule.negatable !== false && cueBefore(prefix, c.negation, rule.lang, true)) {
            reason ??= 'negated';
            continue;
          }
          if (rule.thirdPartyHedge !== false && cueBefore(prefix, c.thirdParty, rule.lang, false)) {
            reason ??= 'third_party';
            continue;
          }
          hit = true;
          break;
        }
        if (hit) hits.push({ ruleId: rule.id, category: rule.category, severity: rule.severity });
        else if (reason) suppressed.push({ ruleId: rule.id, reason });
      }
      const severity = hits.some((h) => h.severity === 'acute') ? 'acute' : hits.length > 0 ? 'concern' : null;
      return { severity, hits, suppressed };
    },
  };
}
