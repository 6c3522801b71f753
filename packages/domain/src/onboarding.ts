import type { ApplicationForm, PhotoSlot, PractitionerType } from '@anxin/contracts';
import { checkPracticeCertificate, checkQualificationCertificate } from './certificates.js';
import { checkEmail, checkMobileForForm } from './contact.js';
import { checkDerivedFields, checkResidentId, type ResidentIdInfo } from './resident-id.js';
import type { RuleMessage } from './rule-result.js';

/**
 * Onboarding rules (ONB-1, ONB-2, ONB-3), pure: what is required and why, what each field must look like, and the
 * automated pre-check. The server stores and enforces; the web app shows the same words.
 */
type Bi = { zh: string; en: string };

export interface RequiredItem {
  field: string;
  label: Bi;
  purpose: Bi;
  requiredFor?: PractitionerType[];
}

const IDENTITY: Bi = {
  zh: '用于核验您的真实身份（网络实名制和医疗监管要求）。',
  en: 'Needed to verify who you are (real-name and medical regulations).',
};
const LICENCE: Bi = {
  zh: '只有具备相应资质的医生才能在平台执业，审核人员需要据此核验。',
  en: 'Only qualified practitioners may consult here; reviewers verify this.',
};
const CONTACT: Bi = {
  zh: '用于审核过程中与您联系。',
  en: 'Needed to contact you during the review.',
};
const PROFILE: Bi = {
  zh: '会展示在您的公开主页上，帮助患者选择合适的医生。',
  en: 'Shown on your public profile so patients can choose the right doctor.',
};
const WORKPLACE: Bi = {
  zh: '用于核验执业地点和执业范围。',
  en: 'Needed to verify where and within what scope you practise.',
};

export const REQUIRED_ITEMS: RequiredItem[] = [
  { field: 'basic.name', label: { zh: '姓名', en: 'Name' }, purpose: IDENTITY },
  { field: 'basic.idNumber', label: { zh: '身份证号', en: 'Resident ID number' }, purpose: IDENTITY },
  {
    field: 'photo:id_front',
    label: { zh: '身份证人像面照片', en: 'ID card photo (portrait side)' },
    purpose: IDENTITY,
  },
  { field: 'photo:id_back', label: { zh: '身份证国徽面照片', en: 'ID card photo (emblem side)' }, purpose: IDENTITY },
  { field: 'basic.contactPhone', label: { zh: '联系电话', en: 'Contact phone' }, purpose: CONTACT },
  { field: 'basic.email', label: { zh: '电子邮箱', en: 'Email' }, purpose: CONTACT },
  {
    field: 'basic.source',
    label: { zh: '入驻来源', en: 'How you heard of us' },
    purpose: { zh: '用于了解医生从哪里得知本平台。', en: 'Tells us how doctors find the platform.' },
  },
  { field: 'photo:avatar', label: { zh: '头像', en: 'Avatar' }, purpose: PROFILE },
  { field: 'professional.practitionerType', label: { zh: '执业类型', en: 'Practitioner type' }, purpose: LICENCE },
  {
    field: 'credentials.practiceCertNo',
    label: { zh: '医师执业证书编号', en: 'Practice certificate number' },
    purpose: LICENCE,
    requiredFor: ['psychiatrist'],
  },
  {
    field: 'photo:practice_cert_cover',
    label: { zh: '执业证书主页照片', en: 'Practice certificate cover page' },
    purpose: LICENCE,
    requiredFor: ['psychiatrist'],
  },
  {
    field: 'photo:practice_cert_personal',
    label: { zh: '执业证书个人页照片', en: 'Practice certificate personal page' },
    purpose: LICENCE,
    requiredFor: ['psychiatrist'],
  },
  {
    field: 'credentials.qualificationCertNo',
    label: { zh: '资格证书编号', en: 'Qualification certificate number' },
    purpose: LICENCE,
  },
  {
    field: 'photo:qualification_cert_cover',
    label: { zh: '资格证书主页照片', en: 'Qualification certificate cover page' },
    purpose: LICENCE,
  },
  {
    field: 'photo:qualification_cert_personal',
    label: { zh: '资格证书个人页照片', en: 'Qualification certificate personal page' },
    purpose: LICENCE,
  },
  {
    field: 'professional.hospital',
    label: { zh: '现就职医院/机构', en: 'Current hospital or institution' },
    purpose: WORKPLACE,
  },
  { field: 'professional.province', label: { zh: '所在省份', en: 'Province' }, purpose: WORKPLACE },
  { field: 'professional.city', label: { zh: '所在城市', en: 'City' }, purpose: WORKPLACE },
  { field: 'professional.department', label: { zh: '所属科室', en: 'Department' }, purpose: WORKPLACE },
  { field: 'professional.title', label: { zh: '职称', en: 'Professional title' }, purpose: PROFILE },
  { field: 'professional.clinicalField', label: { zh: '临床专业', en: 'Clinical field' }, purpose: WORKPLACE },
  { field: 'professional.workStartDate', label: { zh: '参加工作时间', en: 'Start of practice' }, purpose: WORKPLACE },
  { field: 'professional.expertise', label: { zh: '擅长领域', en: 'Areas of expertise' }, purpose: PROFILE },
  { field: 'professional.biography.education', label: { zh: '教育背景', en: 'Education' }, purpose: PROFILE },
  { field: 'professional.biography.practice', label: { zh: '从业经历', en: 'Practice background' }, purpose: PROFILE },
];

function valueAt(form: ApplicationForm, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>(
      (obj, key) => (obj && typeof obj === 'object' ? (obj as Record<string, unknown>)[key] : undefined),
      form,
    );
}

function isFilled(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'string') return value.trim().length > 0;
  return value !== undefined && value !== null;
}

/** ONB-2: the required items still missing, in form order, each with the reason it is needed. */
export function missingItems(form: ApplicationForm, photos: ReadonlySet<PhotoSlot>): RequiredItem[] {
  const type = form.professional?.practitionerType;
  return REQUIRED_ITEMS.filter((item) => {
    if (item.requiredFor && (!type || !item.requiredFor.includes(type))) return false;
    if (item.field.startsWith('photo:')) return !photos.has(item.field.slice(6) as PhotoSlot);
    return !isFilled(valueAt(form, item.field));
  });
}

export function labelOf(field: string): Bi {
  return REQUIRED_ITEMS.find((i) => i.field === field)?.label ?? { zh: field, en: field };
}

export interface FieldError {
  field: string;
  code: string;
  message: Bi;
}

const msg = (e: RuleMessage): Bi => ({ zh: e.zh, en: e.en });

/** Non-physician credentials (psychotherapists, counsellors) are issued in several formats: 6–32 letters/digits. */
function checkGenericCertificate(input: string): FieldError['message'] | null {
  return /^[0-9A-Za-z-]{6,32}$/.test(input.replace(/\s/g, ''))
    ? null
    : {
        zh: '证书编号应为 6–32 位字母或数字，请按证书原样填写。',
        en: 'Certificate numbers have 6–32 letters or digits; copy it exactly as printed.',
      };
}

/** ONB-1: each filled field must pass its rule. Empty fields are not errors here (see missingItems). */
export function validateForm(
  form: ApplicationForm,
  today: Date,
): { errors: FieldError[]; derived: ResidentIdInfo | null } {
  const errors: FieldError[] = [];
  const basic = form.basic ?? {};
  let derived: ResidentIdInfo | null = null;
  if (isFilled(basic.idNumber)) {
    const id = checkResidentId(basic.idNumber!, today);
    if (id.ok) {
      derived = id.value;
      const claims = checkDerivedFields(id.value, { birthday: basic.birthday, gender: basic.gender });
      if (!claims.ok) errors.push({ field: 'basic.idNumber', code: claims.error.code, message: msg(claims.error) });
    } else errors.push({ field: 'basic.idNumber', code: id.error.code, message: msg(id.error) });
  }
  if (isFilled(basic.contactPhone)) {
    const phone = checkMobileForForm(basic.contactPhone!);
    if (!phone.ok) errors.push({ field: 'basic.contactPhone', code: phone.error.code, message: msg(phone.error) });
  }
  if (isFilled(basic.email)) {
    const email = checkEmail(basic.email!);
    if (!email.ok) errors.push({ field: 'basic.email', code: email.error.code, message: msg(email.error) });
  }
  const type = form.professional?.practitionerType;
  const creds = form.credentials ?? {};
  if (isFilled(creds.practiceCertNo)) {
    if (type === 'psychiatrist') {
      const r = checkPracticeCertificate(creds.practiceCertNo!);
      if (!r.ok) errors.push({ field: 'credentials.practiceCertNo', code: r.error.code, message: msg(r.error) });
    } else {
      const m = checkGenericCertificate(creds.practiceCertNo!);
      if (m) errors.push({ field: 'credentials.practiceCertNo', code: 'CERT_FORMAT', message: m });
    }
  }
  if (isFilled(creds.qualificationCertNo)) {
    if (type === 'psychiatrist') {
      const r = checkQualificationCertificate(creds.qualificationCertNo!, derived?.id);
      if (!r.ok) errors.push({ field: 'credentials.qualificationCertNo', code: r.error.code, message: msg(r.error) });
    } else {
      const m = checkGenericCertificate(creds.qualificationCertNo!);
      if (m) errors.push({ field: 'credentials.qualificationCertNo', code: 'CERT_FORMAT', message: m });
    }
  }
  const start = form.professional?.workStartDate;
  if (isFilled(start)) {
    const [y, m] = start!.split('-').map(Number);
    const startMonth = y! * 12 + (m! - 1);
    const nowMonth = today.getUTCFullYear() * 12 + today.getUTCMonth();
    const born = derived ? Number(derived.birthday.slice(0, 4)) * 12 + Number(derived.birthday.slice(5, 7)) - 1 : null;
    if (m! < 1 || m! > 12 || startMonth > nowMonth) {
      errors.push({
        field: 'professional.workStartDate',
        code: 'WORK_START_INVALID',
        message: {
          zh: '参加工作时间不能晚于本月，请按“年-月”填写。',
          en: 'The start of practice cannot be after this month; use year-month.',
        },
      });
    } else if (born !== null && startMonth - born < 16 * 12) {
      errors.push({
        field: 'professional.workStartDate',
        code: 'WORK_START_BEFORE_ADULTHOOD',
        message: {
          zh: '参加工作时间早于 16 周岁，请核对。',
          en: 'The start of practice is before age 16; please check it.',
        },
      });
    }
  }
  return { errors, derived };
}

export const PRECHECK_RULE_SET_VERSION = 'onboarding-precheck/2026-11-29';

export interface PrecheckInput {
  form: ApplicationForm;
  photos: ReadonlyMap<PhotoSlot, { width: number; height: number }>;
  /** Found by blind index: another account's application uses the same number. */
  duplicateIdNumber: boolean;
  duplicateCertificate: boolean;
  today: Date;
}

export interface PrecheckRuleResult {
  rule: string;
  outcome: 'pass' | 'flag';
  code: string;
  explanation: Bi;
}

const READABLE_MIN_SHORT = 600;

/**
 * ONB-3 / RIG-6: the automated pre-check. It only ever flags; a reviewer decides. Each rule explains itself in
 * words a doctor understands, without repeating any personal data.
 */
export function runPrecheck(input: PrecheckInput): PrecheckRuleResult[] {
  const { form, photos } = input;
  const { errors, derived } = validateForm(form, input.today);
  const errorFor = (field: string) => errors.find((e) => e.field === field);
  const results: PrecheckRuleResult[] = [];
  const add = (rule: string, flag: FieldError | null, pass: Bi, code = 'OK') =>
    results.push(
      flag
        ? { rule, outcome: 'flag', code: flag.code, explanation: flag.message }
        : { rule, outcome: 'pass', code, explanation: pass },
    );

  const idError = errorFor('basic.idNumber');
  add('id_number', idError ?? null, {
    zh: '身份证号格式、出生日期和校验位均正确，性别和年龄与号码一致。',
    en: 'The ID number’s format, birth date and check digit are valid; gender and age match it.',
  });

  const age = derived?.age;
  add(
    'age_plausible',
    age !== undefined && (age < 22 || age > 85)
      ? {
          field: 'basic.idNumber',
          code: 'AGE_UNUSUAL',
          message: {
            zh: '根据身份证号计算的年龄不在执业医生的常见范围内，审核人员会特别核对。',
            en: 'The age derived from the ID is unusual for a practising clinician; a reviewer will check it.',
          },
        }
      : null,
    {
      zh: '根据身份证号计算的年龄在执业人员的常见范围内。',
      en: 'The age derived from the ID is in the usual range for practitioners.',
    },
  );

  const certErrors = [errorFor('credentials.practiceCertNo'), errorFor('credentials.qualificationCertNo')].filter(
    Boolean,
  ) as FieldError[];
  add('certificate_numbers', certErrors[0] ?? null, {
    zh: '证书编号格式正确；资格证书中包含的身份证号（如有）与申请人一致。',
    en: 'Certificate numbers are well-formed; any ID number inside the qualification certificate matches the applicant.',
  });

  add(
    'duplicate_id_number',
    input.duplicateIdNumber
      ? {
          field: 'basic.idNumber',
          code: 'DUPLICATE_ID',
          message: {
            zh: '该身份证号已用于另一个账号的入驻申请。如果那也是您的账号，请联系客服合并；审核人员会核实。',
            en: 'This ID number is used in another account’s application. If that account is also yours, contact support; a reviewer will check.',
          },
        }
      : null,
    { zh: '没有其他账号使用相同的身份证号。', en: 'No other account uses the same ID number.' },
  );
  add(
    'duplicate_certificate',
    input.duplicateCertificate
      ? {
          field: 'credentials',
          code: 'DUPLICATE_CERTIFICATE',
          message: {
            zh: '该证书编号已用于另一个账号的入驻申请，审核人员会核实。',
            en: 'This certificate number is used in another account’s application; a reviewer will check.',
          },
        }
      : null,
    { zh: '没有其他账号使用相同的证书编号。', en: 'No other account uses the same certificate numbers.' },
  );

  const blurry = [...photos.entries()].filter(
    ([slot, p]) => slot !== 'avatar' && Math.min(p.width, p.height) < READABLE_MIN_SHORT,
  );
  add(
    'photo_readability',
    blurry.length > 0
      ? {
          field: `photo:${blurry[0]![0]}`,
          code: 'PHOTO_LOW_RESOLUTION',
          message: {
            zh: `有 ${blurry.length} 张证件照片分辨率较低（短边不足 ${READABLE_MIN_SHORT} 像素），审核人员可能看不清文字，建议在光线充足处重新拍摄。`,
            en: `${blurry.length} document photo(s) have low resolution (short side under ${READABLE_MIN_SHORT} px); reviewers may not be able to read them. Consider retaking in good light.`,
          },
        }
      : null,
    { zh: '证件照片的分辨率足以看清文字。', en: 'Document photos have enough resolution to be read.' },
  );

  const missing = missingItems(form, new Set(photos.keys()));
  add(
    'required_items',
    missing.length > 0
      ? {
          field: missing[0]!.field,
          code: 'MISSING_ITEMS',
          message: {
            zh: `还缺少 ${missing.length} 项必填信息，例如“${missing[0]!.label.zh}”。`,
            en: `${missing.length} required item(s) are missing, e.g. "${missing[0]!.label.en}".`,
          },
        }
      : null,
    { zh: '所有必填信息都已提供。', en: 'All required items are provided.' },
  );

  const other = errors.find((e) => e.field === 'professional.workStartDate');
  add('work_start', other ?? null, { zh: '参加工作时间合理。', en: 'The start of practice is plausible.' });
  return results;
}
