/**
 * Mainland China mobile numbers (ACC-1): 11 digits, `1[3-9]` then 9 digits.
 * Users type numbers in many shapes (`+86 138 0013 8000`, `86-13800138000`), so we normalise
 * before validating, and everything downstream (blind index, SMS) uses the normalised form.
 */
export type PhoneCheck =
  { ok: true; phone: string } | { ok: false; code: 'PHONE_REQUIRED' | 'PHONE_NOT_MAINLAND_MOBILE' };

const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

export function normalizeMainlandMobile(input: string): PhoneCheck {
  const compact = input.replace(/[\s\-()]/g, '');
  if (compact === '') return { ok: false, code: 'PHONE_REQUIRED' };
  let digits = compact;
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (digits.startsWith('86') && digits.length === 13) digits = digits.slice(2);
  return MAINLAND_MOBILE.test(digits) ? { ok: true, phone: digits } : { ok: false, code: 'PHONE_NOT_MAINLAND_MOBILE' };
}

/** `13800138000` → `138****8000`: the only form a phone number may take on screen for staff lists and logs. */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}
