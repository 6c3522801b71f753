/**
 * Rules of the doctor directory and of who may be consulted online. Pure: the server enforces them (a refused
 * request is a 409) and the apps show them before anything is typed, from this one copy, so the two cannot
 * disagree.
 */
import { DIRECTORY_SEARCH_MAX_LENGTH, type PractitionerType } from '@anxin/contracts';

/**
 * Internet diagnosis and treatment (psychiatrists, psychotherapists) is only for follow-ups of a condition
 * diagnosed in person; a first visit belongs in a hospital. Counselling is not diagnosis or treatment, so
 * counsellors take first visits too.
 */
export function takesFirstVisitOnline(type: PractitionerType): boolean {
  return type === 'counsellor';
}

/** Whether this practitioner may take this consultation online. */
export function mayConsultOnline(type: PractitionerType, isFollowUp: boolean): boolean {
  return isFollowUp || takesFirstVisitOnline(type);
}

/** How many words of a directory search are used. */
export const DIRECTORY_SEARCH_MAX_TERMS = 4;

/**
 * The words of a directory search, each of which must match a doctor somewhere (name, title, hospital,
 * department or an expertise tag). Full-width letters, digits and spaces are folded to their usual forms (NFKC),
 * control characters read as spaces, invisible ones (zero-width, private use) dropped, words split at spaces and list punctuation (，、；,;/|), repeats
 * removed; at most DIRECTORY_SEARCH_MAX_TERMS words of the first DIRECTORY_SEARCH_MAX_LENGTH characters.
 */
export function directorySearchTerms(q: string | undefined): string[] {
  if (!q) return [];
  const cleaned = q
    .normalize('NFKC')
    .replace(/\p{Cc}/gu, ' ')
    .replace(/[\p{Cf}\p{Co}\p{Cn}]/gu, '')
    .slice(0, DIRECTORY_SEARCH_MAX_LENGTH);
  const words = cleaned.split(/[\s,;/|，、；。]+/u).filter((w) => w !== '');
  return [...new Set(words.map((w) => w.toLowerCase()))].slice(0, DIRECTORY_SEARCH_MAX_TERMS);
}
