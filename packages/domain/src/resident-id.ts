/**
 * Chinese resident identity numbers (公民身份号码, GB 11643-1999), checked during doctor onboarding (ONB-1, ONB-3).
 *
 * Layout of the 18 characters:
 *   0–5   address code (行政区划代码, GB/T 2260); the first two digits are the province-level region
 *   6–13  date of birth, YYYYMMDD
 *   14–16 sequence code; digit 16 (the 17th character) is odd for men, even for women
 *   17    check character, ISO 7064 MOD 11-2 over the first 17 digits: 0–9 or X (standing for 10)
 *
 * Pure: no I/O and no Node-only APIs, so the web app runs exactly the same checks before submitting.
 */
import { ruleFail, ruleOk, type RuleMessage, type RuleResult } from './rule-result.js';

// The shared result shape is exported from the package through this module.
export type { RuleMessage, RuleResult } from './rule-result.js';

export type Gender = 'male' | 'female';

export interface ResidentIdInfo {
  /** The normalised number: 18 characters, digits with an optional uppercase X at the end. */
  id: string;
  /** Date of birth, YYYY-MM-DD. */
  birthday: string;
  gender: Gender;
  /** Completed years at the `today` given to the check. */
  age: number;
  /** The 6-digit address code of the place where the number was first issued. */
  regionCode: string;
}

export const RESIDENT_ID_MESSAGES = {
  ID_REQUIRED: {
    code: 'ID_REQUIRED',
    zh: '请填写身份证号。',
    en: 'Please enter your resident ID number.',
  },
  ID_LEGACY_15_DIGITS: {
    code: 'ID_LEGACY_15_DIGITS',
    zh: '您填写的是旧版 15 位身份证号，请改填现用第二代身份证上的 18 位号码。',
    en: 'This is an old 15-digit ID number. Please enter the 18-digit number printed on your current ID card.',
  },
  ID_FORMAT: {
    code: 'ID_FORMAT',
    zh: '身份证号应为 18 位：前 17 位是数字，最后一位是数字或 X，请核对后重新填写。',
    en: 'A resident ID number has 18 characters: 17 digits, then a digit or X. Please check and enter it again.',
  },
  ID_REGION: {
    code: 'ID_REGION',
    zh: '身份证号前两位不是有效的省级地区代码，请核对号码开头的数字。',
    en: 'The first two digits of the ID number are not a valid province code. Please check the start of the number.',
  },
  ID_BIRTHDATE_INVALID: {
    code: 'ID_BIRTHDATE_INVALID',
    zh: '身份证号第 7–14 位不是有效的出生日期，请核对号码中的出生年月日。',
    en: 'Digits 7–14 of the ID number are not a real date of birth. Please check the birth date part of the number.',
  },
  ID_BIRTHDATE_FUTURE: {
    code: 'ID_BIRTHDATE_FUTURE',
    zh: '身份证号中的出生日期晚于今天，请核对号码中的出生年月日。',
    en: 'The date of birth in the ID number is later than today. Please check the birth date part of the number.',
  },
  ID_BIRTHDATE_TOO_OLD: {
    code: 'ID_BIRTHDATE_TOO_OLD',
    zh: '身份证号中的出生日期早于 1900 年 1 月 1 日，请核对号码中的出生年月日。',
    en: 'The date of birth in the ID number is before 1 January 1900. Please check the birth date part of the number.',
  },
  ID_CHECKSUM: {
    code: 'ID_CHECKSUM',
    zh: '身份证号校验位不正确，请核对最后一位（可能是数字或 X），并检查其余数字是否有输错。',
    en: 'The check character of the ID number is wrong. Please check the last character (a digit or X) and the other digits for typos.',
  },
  ID_BIRTHDAY_MISMATCH: {
    code: 'ID_BIRTHDAY_MISMATCH',
    zh: '填写的出生日期与身份证号中的不一致，请核对出生日期或身份证号。',
    en: 'The date of birth you entered does not match your ID number. Please check the date of birth or the ID number.',
  },
  ID_GENDER_MISMATCH: {
    code: 'ID_GENDER_MISMATCH',
    zh: '填写的性别与身份证号不一致，请核对性别或身份证号。',
    en: 'The gender you entered does not match your ID number. Please check the gender or the ID number.',
  },
  ID_AGE_MISMATCH: {
    code: 'ID_AGE_MISMATCH',
    zh: '填写的年龄与身份证号中的出生日期不一致，请核对年龄或身份证号。',
    en: 'The age you entered does not match the date of birth in your ID number. Please check the age or the ID number.',
  },
} as const satisfies Record<string, RuleMessage>;

export type ResidentIdErrorCode = keyof typeof RESIDENT_ID_MESSAGES;

/** ISO 7064 MOD 11-2 weights for positions 0–16 (2^(17-i) mod 11). */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/**
 * Province-level codes (GB/T 2260) that appear as the first two digits: the 31 mainland provinces, regions and
 * municipalities, 71 (Taiwan, listed in GB/T 2260), and 81/82/83, the prefixes of the residence permits for Hong Kong,
 * Macao and Taiwan residents, which use the same 18-character layout.
 */
const PROVINCE_CODES: ReadonlySet<string> = new Set([
  '11', '12', '13', '14', '15',
  '21', '22', '23',
  '31', '32', '33', '34', '35', '36', '37',
  '41', '42', '43', '44', '45', '46',
  '50', '51', '52', '53', '54',
  '61', '62', '63', '64', '65',
  '71', '81', '82', '83',
]); // prettier-ignore

const EARLIEST_BIRTHDAY = '1900-01-01';

/** Trim, drop every whitespace character (incl. the full-width space of Chinese IMEs), uppercase a trailing x. */
export function normalizeResidentId(input: string): string {
  const compact = input.replace(/\s+/g, '');
  return compact.endsWith('x') ? `${compact.slice(0, -1)}X` : compact;
}

/** The check character (0–9 or X) for the first 17 digits. Throws a RangeError if given anything but 17 digits. */
export function computeResidentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('computeResidentIdCheckChar expects exactly 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** `YYYY-MM-DD` of the calendar date of `d` in UTC. */
function utcDateString(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** `YYYYMMDD` → `YYYY-MM-DD` if it is a real Gregorian calendar date, else undefined. */
function parseCompactDate(yyyymmdd: string): string | undefined {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  if (m < 1 || m > 12 || d < 1) return undefined;
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}

/**
 * Completed years between `birthday` (YYYY-MM-DD) and `today` (YYYY-MM-DD). Someone born on 29 February becomes a year
 * older on 1 March in common years (the day JavaScript's Date rolls 29 February over to).
 */
function completedYears(birthday: string, today: string): number {
  const [by, bm, bd] = birthday.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  const hadBirthdayThisYear = tm > bm || (tm === bm && td >= bd);
  return ty - by - (hadBirthdayThisYear ? 0 : 1);
}

/**
 * Validates a resident ID number and derives birthday, gender, age and region code from it.
 *
 * `today` is read as a calendar date in UTC (its getUTC* fields), and so is everything derived: a caller that wants the
 * Beijing calendar date passes a Date whose UTC date is that day. Checks run in the order of the codes below, so a
 * typo in the date part is reported as a date problem rather than only as a wrong check character.
 */
export function checkResidentId(input: string, today: Date): RuleResult<ResidentIdInfo> {
  const id = normalizeResidentId(input);
  if (id === '') return ruleFail(RESIDENT_ID_MESSAGES.ID_REQUIRED);
  if (/^\d{15}$/.test(id)) return ruleFail(RESIDENT_ID_MESSAGES.ID_LEGACY_15_DIGITS);
  if (!/^\d{17}[\dX]$/.test(id)) return ruleFail(RESIDENT_ID_MESSAGES.ID_FORMAT);
  if (!PROVINCE_CODES.has(id.slice(0, 2))) return ruleFail(RESIDENT_ID_MESSAGES.ID_REGION);

  const birthday = parseCompactDate(id.slice(6, 14));
  if (birthday === undefined) return ruleFail(RESIDENT_ID_MESSAGES.ID_BIRTHDATE_INVALID);
  // YYYY-MM-DD strings with 4-digit years compare in calendar order.
  if (birthday < EARLIEST_BIRTHDAY) return ruleFail(RESIDENT_ID_MESSAGES.ID_BIRTHDATE_TOO_OLD);
  const todayString = utcDateString(today);
  if (birthday > todayString) return ruleFail(RESIDENT_ID_MESSAGES.ID_BIRTHDATE_FUTURE);

  if (computeResidentIdCheckChar(id.slice(0, 17)) !== id[17]) return ruleFail(RESIDENT_ID_MESSAGES.ID_CHECKSUM);

  return ruleOk({
    id,
    birthday,
    gender: Number(id[16]) % 2 === 1 ? 'male' : 'female',
    age: completedYears(birthday, todayString),
    regionCode: id.slice(0, 6),
  });
}

/**
 * The only form an ID number may take on screen for staff and in logs (ONB-4):
 * `510104199003071234` → `5101**********1234`. Keeps the first 4 and last 4 characters and stars everything between;
 * anything of 8 characters or fewer is starred completely, so no short input is shown in full.
 */
export function maskResidentId(id: string): string {
  const compact = normalizeResidentId(id);
  if (compact.length <= 8) return '*'.repeat(compact.length);
  return `${compact.slice(0, 4)}${'*'.repeat(compact.length - 8)}${compact.slice(-4)}`;
}

/** Accepts `1990-03-07`, `1990/3/7`, `1990.03.07` or `19900307`; returns `YYYY-MM-DD`, or the trimmed input if unparseable. */
function normalizeClaimedBirthday(claimed: string): string {
  const trimmed = claimed.trim();
  const separated = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(trimmed);
  if (separated) return `${separated[1]}-${separated[2]!.padStart(2, '0')}-${separated[3]!.padStart(2, '0')}`;
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(trimmed);
  if (compact) return `${compact[1]}-${compact[2]}-${compact[3]}`;
  return trimmed;
}

/**
 * ONB-3: the birthday, gender and age a doctor typed must agree with those derived from the ID number.
 * Claims left undefined are not checked. The first disagreement found (birthday, then gender, then age) is returned.
 */
export function checkDerivedFields(
  id: { birthday: string; gender: Gender; age: number },
  claimed: { birthday?: string; gender?: Gender; age?: number },
): RuleResult<true> {
  if (claimed.birthday !== undefined && normalizeClaimedBirthday(claimed.birthday) !== id.birthday) {
    return ruleFail(RESIDENT_ID_MESSAGES.ID_BIRTHDAY_MISMATCH);
  }
  if (claimed.gender !== undefined && claimed.gender !== id.gender) {
    return ruleFail(RESIDENT_ID_MESSAGES.ID_GENDER_MISMATCH);
  }
  if (claimed.age !== undefined && claimed.age !== id.age) {
    return ruleFail(RESIDENT_ID_MESSAGES.ID_AGE_MISMATCH);
  }
  return ruleOk(true);
}
