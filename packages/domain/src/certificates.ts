/**
 * Doctor credential numbers gathered during onboarding (ONB-1) and pre-checked (ONB-3):
 * the practising certificate (医师执业证书) and the qualification certificate (医师资格证书).
 * Pure: no I/O and no Node-only APIs.
 */
import { ruleFail, ruleOk, type RuleMessage, type RuleResult } from './rule-result.js';
import { checkResidentId, normalizeResidentId } from './resident-id.js';

export const CERTIFICATE_MESSAGES = {
  PRACTICE_CERT_REQUIRED: {
    code: 'PRACTICE_CERT_REQUIRED',
    zh: '请填写医师执业证书编码。',
    en: 'Please enter your medical practising certificate number.',
  },
  PRACTICE_CERT_FORMAT: {
    code: 'PRACTICE_CERT_FORMAT',
    zh: '医师执业证书编码应为 15 位数字，请对照执业证书上的“证书编码”重新填写。',
    en: 'A practising certificate number has exactly 15 digits. Please copy the certificate number from your practising certificate again.',
  },
  QUALIFICATION_CERT_REQUIRED: {
    code: 'QUALIFICATION_CERT_REQUIRED',
    zh: '请填写医师资格证书编码。',
    en: 'Please enter your medical qualification certificate number.',
  },
  QUALIFICATION_CERT_FORMAT: {
    code: 'QUALIFICATION_CERT_FORMAT',
    zh: '医师资格证书编码应为 24 位或 27 位数字或大写字母，请对照资格证书上的“证书编码”重新填写。',
    en: 'A qualification certificate number has 24 or 27 digits or capital letters. Please copy the certificate number from your qualification certificate again.',
  },
  QUALIFICATION_CERT_ID_MISMATCH: {
    code: 'QUALIFICATION_CERT_ID_MISMATCH',
    zh: '医师资格证书编码中包含的身份证号与您填写的身份证号不一致，请核对证书编码和身份证号。',
    en: 'The ID number contained in the qualification certificate number does not match the ID number you entered. Please check both numbers.',
  },
} as const satisfies Record<string, RuleMessage>;

export type CertificateErrorCode = keyof typeof CERTIFICATE_MESSAGES;

/** Drop every whitespace character (people copy numbers with spaces, incl. the full-width IME space). */
const compact = (input: string) => input.replace(/\s+/g, '');

/** 医师执业证书编码: exactly 15 digits once spaces are removed. Returns the compact number. */
export function checkPracticeCertificate(input: string): RuleResult<string> {
  const number = compact(input);
  if (number === '') return ruleFail(CERTIFICATE_MESSAGES.PRACTICE_CERT_REQUIRED);
  if (!/^\d{15}$/.test(number)) return ruleFail(CERTIFICATE_MESSAGES.PRACTICE_CERT_FORMAT);
  return ruleOk(number);
}

/** Where the resident ID sits in a 27-character qualification certificate number (see the assumption below). */
const EMBEDDED_ID_START = 9;
const EMBEDDED_ID_LENGTH = 18;
/**
 * Whether a substring is an ID is a structural question (region, real date, checksum), not one about today's date,
 * so the embedded ID is checked against a fixed far-future "today": the rule stays deterministic and pure.
 */
const FAR_FUTURE = new Date(Date.UTC(9999, 11, 31));

/**
 * The resident ID embedded in a qualification certificate number, if any.
 *
 * ASSUMPTION (heuristic, not from a published standard): the 27-character form is commonly `YYYY` (year the
 * qualification was granted) + 5 digits + the holder's 18-character resident ID. We treat the 18 characters starting
 * at index 9 of a 27-character number as an embedded ID if, and only if, they pass `checkResidentId` on their own
 * (valid region, real birth date on or after 1900-01-01, correct MOD 11-2 check character). If the real layout
 * differs, 18 arbitrary digits pass all three checks only rarely (roughly 35% region × 3% date × 1/11 checksum ≈ 1 in
 * 1,000), so a false QUALIFICATION_CERT_ID_MISMATCH is unlikely; should one occur, the message asks the doctor to
 * check both numbers. 24-character numbers are not assumed to embed an ID.
 */
export function embeddedResidentId(certificate: string): string | undefined {
  if (certificate.length !== 27) return undefined;
  const candidate = certificate.slice(EMBEDDED_ID_START, EMBEDDED_ID_START + EMBEDDED_ID_LENGTH);
  const check = checkResidentId(candidate, FAR_FUTURE);
  return check.ok ? check.value.id : undefined;
}

/**
 * 医师资格证书编码: 24 or 27 digits or capital letters as issued (trimmed, spaces removed, uppercased).
 * When the number embeds a resident ID (see `embeddedResidentId`) and `applicantResidentId` is given (non-empty),
 * the two must be the same person's number. Returns the normalised certificate number.
 */
export function checkQualificationCertificate(input: string, applicantResidentId?: string): RuleResult<string> {
  const number = compact(input).toUpperCase();
  if (number === '') return ruleFail(CERTIFICATE_MESSAGES.QUALIFICATION_CERT_REQUIRED);
  if (!/^[0-9A-Z]{24}$|^[0-9A-Z]{27}$/.test(number)) return ruleFail(CERTIFICATE_MESSAGES.QUALIFICATION_CERT_FORMAT);
  const applicant = applicantResidentId === undefined ? '' : normalizeResidentId(applicantResidentId);
  if (applicant !== '') {
    const embedded = embeddedResidentId(number);
    if (embedded !== undefined && embedded !== applicant) {
      return ruleFail(CERTIFICATE_MESSAGES.QUALIFICATION_CERT_ID_MISMATCH);
    }
  }
  return ruleOk(number);
}

/**
 * The only form a certificate number may take on screen for staff and in logs (ONB-4): first 4 and last 4 characters,
 * stars between. Anything of 8 characters or fewer is starred completely.
 */
export function maskCertificate(n: string): string {
  const number = compact(n);
  // Never show more than half of a number: up to 4 characters at each end, fewer for short numbers.
  const keep = number.length <= 8 ? 0 : Math.min(4, Math.floor(number.length / 4));
  if (keep === 0) return '*'.repeat(number.length);
  return `${number.slice(0, keep)}${'*'.repeat(number.length - 2 * keep)}${number.slice(-keep)}`;
}
