/**
 * Contact fields of the onboarding form (ONB-1): email and mobile number, as RuleResults with zh-CN and en copy.
 * Pure: no I/O and no Node-only APIs.
 */
import { normalizeMainlandMobile } from './phone.js';
import { ruleFail, ruleOk, type RuleMessage, type RuleResult } from './rule-result.js';

export const CONTACT_MESSAGES = {
  EMAIL_REQUIRED: {
    code: 'EMAIL_REQUIRED',
    zh: '请填写邮箱地址。',
    en: 'Please enter your email address.',
  },
  EMAIL_FORMAT: {
    code: 'EMAIL_FORMAT',
    zh: '邮箱地址格式不正确，请检查是否只有一个 @、@ 后是完整的域名（例如 name@example.com），且没有多余的空格或符号。',
    en: 'This email address is not valid. Please check it has one @ followed by a full domain (e.g. name@example.com) and no extra spaces or symbols.',
  },
  // Same words as the server's PHONE_* errors (apps/server/src/platform/errors.ts), so sign-in and onboarding agree.
  PHONE_REQUIRED: {
    code: 'PHONE_REQUIRED',
    zh: '请输入手机号。',
    en: 'Please enter your mobile number.',
  },
  PHONE_NOT_MAINLAND_MOBILE: {
    code: 'PHONE_NOT_MAINLAND_MOBILE',
    zh: '请输入正确的中国大陆手机号（11 位，以 13–19 开头）。',
    en: 'Please enter a valid mainland China mobile number (11 digits starting with 13–19).',
  },
} as const satisfies Record<string, RuleMessage>;

export type ContactErrorCode = keyof typeof CONTACT_MESSAGES;

/** RFC 5322 "atext" plus dots: what real mailboxes use, without quoted local parts or comments. */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
/** A DNS label: letters, digits and hyphens, 1–63 long, not starting or ending with a hyphen. */
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TLD = /^[a-z]{2,63}$/;

/**
 * A practical email check, not full RFC 5322: one @; a local part of 1–64 characters (letters, digits,
 * ``!#$%&'*+/=?^_`{|}~-`` and single dots between them); a domain of at least two dot-separated labels of letters,
 * digits and hyphens, ending in a top-level domain of 2+ letters; at most 254 characters in all.
 *
 * Full-width characters typed with a Chinese IME (`ｎａｍｅ＠ｅｘａｍｐｌｅ．ｃｏｍ`) are folded to their ASCII
 * forms (NFKC) first, surrounding spaces are trimmed, and the domain is lowercased (domains are case-insensitive;
 * the local part is kept as typed). Returns the normalised address.
 */
export function checkEmail(input: string): RuleResult<string> {
  const text = input.normalize('NFKC').trim();
  if (text === '') return ruleFail(CONTACT_MESSAGES.EMAIL_REQUIRED);
  const parts = text.split('@');
  if (parts.length !== 2) return ruleFail(CONTACT_MESSAGES.EMAIL_FORMAT);
  const local = parts[0]!;
  const domain = parts[1]!.toLowerCase();
  const email = `${local}@${domain}`;
  if (email.length > 254 || local.length > 64 || !LOCAL_PART.test(local)) {
    return ruleFail(CONTACT_MESSAGES.EMAIL_FORMAT);
  }
  const labels = domain.split('.');
  if (labels.length < 2 || !labels.every((l) => DOMAIN_LABEL.test(l)) || !TLD.test(labels[labels.length - 1]!)) {
    return ruleFail(CONTACT_MESSAGES.EMAIL_FORMAT);
  }
  return ruleOk(email);
}

/** `normalizeMainlandMobile` (ACC-1) as a form rule: returns the 11-digit number, or a message to show. */
export function checkMobileForForm(input: string): RuleResult<string> {
  const check = normalizeMainlandMobile(input);
  return check.ok ? ruleOk(check.phone) : ruleFail(CONTACT_MESSAGES[check.code]);
}
