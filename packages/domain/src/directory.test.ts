import { describe, expect, it } from 'vitest';
import { DIRECTORY_SEARCH_MAX_LENGTH } from '@anxin/contracts';
import {
  DIRECTORY_SEARCH_MAX_TERMS,
  directorySearchTerms,
  mayConsultOnline,
  takesFirstVisitOnline,
} from './directory.js';

describe('who may be consulted online', () => {
  it('physicians take follow-ups only; counsellors take first visits too', () => {
    expect(mayConsultOnline('psychiatrist', true)).toBe(true);
    expect(mayConsultOnline('psychiatrist', false)).toBe(false);
    expect(mayConsultOnline('psychotherapist', false)).toBe(false);
    expect(mayConsultOnline('counsellor', false)).toBe(true);
    expect(mayConsultOnline('counsellor', true)).toBe(true);
    expect(['psychiatrist', 'psychotherapist', 'counsellor'].filter((p) => takesFirstVisitOnline(p as never))).toEqual([
      'counsellor',
    ]);
  });
});

describe('directory search terms', () => {
  it('splits at spaces and list punctuation, folds full-width forms and drops repeats', () => {
    expect(directorySearchTerms('  华西　焦虑，睡眠、焦虑 ')).toEqual(['华西', '焦虑', '睡眠']);
    expect(directorySearchTerms('ＡＢＣ Abc')).toEqual(['abc']);
  });

  it('drops control and invisible characters instead of searching for them', () => {
    expect(directorySearchTerms('焦\u200b虑\u0000睡眠\ufeff')).toEqual(['焦虑', '睡眠']);
    expect(directorySearchTerms('\u0007\u200d')).toEqual([]);
    expect(directorySearchTerms(undefined)).toEqual([]);
  });

  it('is bounded in length and number of words; wildcards are kept as text for the query to escape', () => {
    const long = '一'.repeat(100);
    expect(directorySearchTerms(long)).toEqual(['一'.repeat(DIRECTORY_SEARCH_MAX_LENGTH)]);
    expect(directorySearchTerms('a b c d e f')).toHaveLength(DIRECTORY_SEARCH_MAX_TERMS);
    expect(directorySearchTerms('50%_\\')).toEqual(['50%_\\']);
  });
});
