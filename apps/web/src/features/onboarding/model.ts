/** Pure helpers of the onboarding form: steps, which step holds a field, and the body sent to the server. */
import type {
  ApplicationForm,
  ApplicationStatus,
  MyApplication,
  PhotoSlot,
  PractitionerType,
  Precheck,
  TimelineEvent,
} from '@anxin/contracts';

export const STEPS = ['basic', 'idPhotos', 'credentials', 'professional', 'review'] as const;
export type StepKey = (typeof STEPS)[number];
export const REVIEW_STEP = STEPS.length - 1;

export const PRACTITIONER_TYPES: readonly PractitionerType[] = ['psychiatrist', 'psychotherapist', 'counsellor'];

export const REFERRAL_SOURCES = ['hospital', 'colleague', 'search', 'social_media', 'event', 'other'] as const;
export type ReferralSource = (typeof REFERRAL_SOURCES)[number];

export const SUGGESTED_EXPERTISE = [
  '焦虑',
  '抑郁',
  '睡眠',
  '青少年',
  '家庭',
  '创伤',
  '强迫',
  '双相',
  '进食',
  '成瘾',
  '婚恋',
  '职场',
] as const;
export const MAX_EXPERTISE = 12;
export const MAX_TAG_LENGTH = 20;
export const BIO_MAX = 2000;
export const BIO_SECTIONS = ['education', 'practice', 'academic', 'cases'] as const;
export type BioSection = (typeof BIO_SECTIONS)[number];

/** Province-level regions, offered as suggestions (the field stays free text). */
export const PROVINCES = [
  '北京市',
  '天津市',
  '河北省',
  '山西省',
  '内蒙古自治区',
  '辽宁省',
  '吉林省',
  '黑龙江省',
  '上海市',
  '江苏省',
  '浙江省',
  '安徽省',
  '福建省',
  '江西省',
  '山东省',
  '河南省',
  '湖北省',
  '湖南省',
  '广东省',
  '广西壮族自治区',
  '海南省',
  '重庆市',
  '四川省',
  '贵州省',
  '云南省',
  '西藏自治区',
  '陕西省',
  '甘肃省',
  '青海省',
  '宁夏回族自治区',
  '新疆维吾尔自治区',
  '香港特别行政区',
  '澳门特别行政区',
  '台湾省',
];
export const CATEGORY_SUGGESTIONS = ['临床', '中医', '公共卫生'];
export const CLINICAL_FIELD_SUGGESTIONS = ['精神卫生专业', '精神科', '临床心理', '心身医学', '儿童青少年精神科'];
export const LEVEL_SUGGESTIONS = ['三级甲等', '三级乙等', '二级甲等', '二级乙等', '一级', '未定级'];
export const TITLE_SUGGESTIONS = [
  '主任医师',
  '副主任医师',
  '主治医师',
  '住院医师',
  '主任心理治疗师',
  '副主任心理治疗师',
  '主管心理治疗师',
  '心理治疗师',
  '心理咨询师',
];

/** The photos each step asks for. */
export const STEP_PHOTOS: Record<StepKey, readonly PhotoSlot[]> = {
  basic: ['avatar'],
  idPhotos: ['id_front', 'id_back'],
  credentials: [
    'practice_cert_cover',
    'practice_cert_personal',
    'qualification_cert_cover',
    'qualification_cert_personal',
  ],
  professional: [],
  review: [],
};

export type PhotoPurpose = 'avatar' | 'identity' | 'credential';
export function photoPurpose(slot: PhotoSlot): PhotoPurpose {
  if (slot === 'avatar') return 'avatar';
  if (slot === 'id_front' || slot === 'id_back') return 'identity';
  return 'credential';
}

/** Psychotherapists and counsellors need not hold a medical practising certificate. */
export function practiceCertOptional(type: PractitionerType | undefined): boolean {
  return type === 'psychotherapist' || type === 'counsellor';
}

/**
 * The step that holds a field named in an error or the missing list (`basic.idNumber`, `photos.id_front`,
 * `photo:avatar`, …). Anything unknown lands on the review step, where every message is listed.
 */
export function stepOfField(field: string | undefined): number {
  if (!field) return REVIEW_STEP;
  const f = field.toLowerCase();
  if (f.includes('avatar')) return 0;
  if (f.includes('id_front') || f.includes('id_back')) return 1;
  if (f.includes('cert') || f.startsWith('credentials') || f.endsWith('practitionertype')) return 2;
  if (f.startsWith('basic')) return 0;
  if (f.startsWith('professional')) return 3;
  return REVIEW_STEP;
}

const YEAR_MONTH = /^\d{4}-\d{2}$/;
export function isYearMonth(value: string): boolean {
  if (!YEAR_MONTH.test(value)) return false;
  const month = Number(value.slice(5));
  return month >= 1 && month <= 12;
}

type Plain = Record<string, unknown>;

/** Drops empty strings, empty lists and empty sections: a PUT replaces the whole form, blanks mean "not given". */
function prune(value: unknown): unknown {
  if (typeof value === 'string') return value.trim() === '' ? undefined : value.trim();
  if (Array.isArray(value)) return value.length === 0 ? undefined : value;
  if (value !== null && typeof value === 'object') {
    const out: Plain = {};
    for (const [k, v] of Object.entries(value as Plain)) {
      const pruned = prune(v);
      if (pruned !== undefined) out[k] = pruned;
    }
    return Object.keys(out).length === 0 ? undefined : out;
  }
  return value;
}

/** The body of `PUT /api/onboarding/application`. A half-typed year-month is kept on screen but not sent. */
export function toRequestBody(form: ApplicationForm): ApplicationForm {
  const copy: ApplicationForm = structuredClone(form);
  const start = copy.professional?.workStartDate;
  if (copy.professional && start !== undefined && !isYearMonth(start)) delete copy.professional.workStartDate;
  return (prune(copy) as ApplicationForm | undefined) ?? {};
}

/** Whitespace-insensitive, for comparing what was typed with what the server last saw. */
export function sameIdNumber(a: string | undefined, b: string | undefined): boolean {
  const norm = (s: string | undefined) => (s ?? '').replace(/\s+/g, '').toUpperCase();
  return norm(a) === norm(b);
}

/** The reviewer's latest words for a decision, if any. */
export function latestDecision(
  timeline: readonly TimelineEvent[],
  kind: TimelineEvent['kind'],
): TimelineEvent | undefined {
  for (let i = timeline.length - 1; i >= 0; i--) if (timeline[i]!.kind === kind) return timeline[i];
  return undefined;
}

export function latestSubmission(app: MyApplication): string | undefined {
  return latestDecision(app.timeline, 'submitted')?.at;
}

/** The reason shown on the card and status page for statuses a reviewer gave. */
export function decisionOf(app: MyApplication): TimelineEvent | undefined {
  if (app.status === 'changes_requested') return latestDecision(app.timeline, 'changes_requested');
  if (app.status === 'rejected') return latestDecision(app.timeline, 'rejected');
  return undefined;
}

/** Statuses in which the form can be edited (submitted is under review; rejected is final). */
export function isEditable(status: ApplicationStatus): boolean {
  return status === 'draft' || status === 'changes_requested' || status === 'approved';
}

/** A fresh application that was never saved: nothing typed, no photos. */
export function isUntouched(app: MyApplication): boolean {
  return (
    app.status === 'draft' &&
    app.updatedAt === null &&
    app.timeline.length === 0 &&
    Object.values(app.photos).every((p) => p === null)
  );
}

/** Guesses a photo's content type when the browser gives none (some HEIC files from iOS/Android albums). */
export function contentTypeOf(file: File): string {
  if (file.type) return file.type;
  const ext = file.name.split('.').pop()?.toLowerCase();
  if (ext === 'heic' || ext === 'heif') return 'image/heic';
  if (ext === 'jpg' || ext === 'jpeg') return 'image/jpeg';
  if (ext === 'png') return 'image/png';
  if (ext === 'webp') return 'image/webp';
  return 'application/octet-stream';
}

export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

/** Pre-check rules the doctor app has a name for; any other is shown as "检查项", never by its id. */
export const KNOWN_PRECHECK_RULES = [
  'id_number',
  'age_plausible',
  'certificate_numbers',
  'duplicate_id_number',
  'duplicate_certificate',
  'photo_readability',
  'required_items',
  'work_start',
] as const;
export type KnownPrecheckRule = (typeof KNOWN_PRECHECK_RULES)[number];

export interface PrecheckItem {
  /** For keys and test ids only; never shown. */
  rule: string;
  known: KnownPrecheckRule | null;
  flagged: boolean;
  /** "为什么？" is offered only where the check flagged something. */
  explanation: Precheck['rules'][number]['explanation'] | null;
}

/** What the doctor sees of the automated pre-check: flagged items first, each with its explanation. */
export function precheckItems(precheck: Precheck): PrecheckItem[] {
  const items = precheck.rules.map((r) => {
    const flagged = r.outcome === 'flag';
    const known = (KNOWN_PRECHECK_RULES as readonly string[]).includes(r.rule) ? (r.rule as KnownPrecheckRule) : null;
    return { rule: r.rule, known, flagged, explanation: flagged ? r.explanation : null };
  });
  return [...items.filter((i) => i.flagged), ...items.filter((i) => !i.flagged)];
}
