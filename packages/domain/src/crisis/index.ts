/**
 * Crisis signals (CON-4): the maintained lexicon (lexicon.json), its validation and merge with an operator's
 * extension, and the detector. Pure: no I/O. Imported as `@anxin/domain/crisis` so the web bundle never carries it.
 */
import baseLexiconJson from './lexicon.json' with { type: 'json' };
import { createCrisisDetector } from './detector.js';
import { mergeLexicon, parseLexicon, parseLexiconExtension, type Lexicon } from './lexicon.js';

export * from './lexicon.js';
export * from './detector.js';
export { normaliseText } from './normalise.js';

/** The maintained base lexicon, validated. */
export const BASE_LEXICON: Lexicon = parseLexicon(baseLexiconJson, 'packages/domain/src/crisis/lexicon.json', {
  checkSpeed: false,
});

/** The base lexicon merged with an operator's extension (already parsed from JSON), validated and compiled. */
export function lexiconWithExtension(extension: unknown | null, source?: string): Lexicon {
  const ext = extension === null ? null : parseLexiconExtension(extension, source);
  const merged = mergeLexicon(BASE_LEXICON, ext, source);
  createCrisisDetector(merged); // compiles every rule and cue together: a bad combination fails here, at start
  return merged;
}
