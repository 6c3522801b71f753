import crypto from 'node:crypto';
import { INVENTORY, type Category, type PersonalColumn } from '../inventory/inventory.js';
import { LEGAL_BASES, PURPOSES, RETENTION } from '../inventory/purposes.js';
import { PROCESSORS } from '../inventory/processors.js';

export interface OperatorInfo {
  name: string;
  hotline: string;
  email: string;
}

export interface PolicyDraft {
  zh: { title: string; summary: string; text: string };
  en: { title: string; summary: string; text: string };
}

/** A category's label in plain language (Me → 个人信息与隐私 shows the same words as the policy). */
export const categoryLabel = (category: Category, lang: 'zh' | 'en'): string => CATEGORY_LABELS[category][lang];

export const sha256Hex = (text: string) => crypto.createHash('sha256').update(text, 'utf8').digest('hex');

/** Typed by Category: a category without its label does not build (it would print a raw key in the policy). */
const CATEGORY_LABELS: Record<Category, { zh: string; en: string }> = {
  'contact.phone': { zh: '手机号码', en: 'Mobile number' },
  'profile.display_name': { zh: '昵称', en: 'Display name' },
  'profile.demographics': {
    zh: '年龄段和性别（仅在您选择提供时，且只给为您问诊的医生看）',
    en: 'Age band and sex (only if you choose to share them, and only with the doctors you consult)',
  },
  'profile.preferences': { zh: '语言偏好', en: 'Language preference' },
  'account.credentials': {
    zh: '登录安全凭据（如身份验证器密钥）',
    en: 'Sign-in credentials (e.g. authenticator secret)',
  },
  'device.network': {
    zh: '设备与网络信息（浏览器类型、IP 地址）',
    en: 'Device and network data (browser, IP address)',
  },
  'consent.record': { zh: '同意记录', en: 'Consent records' },
  'security.audit': { zh: '操作审计记录', en: 'Audit records' },
  'crypto.key': { zh: '您专属的数据加密密钥', en: 'Your own data-encryption key' },
  'identity.name': { zh: '姓名、联系电话、电子邮箱和入驻来源', en: 'Name, contact phone, email and referral source' },
  'identity.id_number': { zh: '居民身份证号码（敏感个人信息）', en: 'Resident ID number (sensitive)' },
  'identity.document_photo': {
    zh: '身份证正反面照片（敏感个人信息）',
    en: 'ID card photos, front and back (sensitive)',
  },
  'credential.certificate': {
    zh: '医师执业证书、资格证书的编号及照片（敏感个人信息）',
    en: 'Practice and qualification certificate numbers and photos (sensitive)',
  },
  'profile.professional': {
    zh: '执业信息（就职医院、科室、职称、职务、工号、擅长领域、个人简介等）',
    en: 'Professional details (hospital, department, title, position, staff number, expertise, biography)',
  },
  'profile.public': {
    zh: '公开的医生主页信息（姓名、职称、医院、科室、擅长、简介）',
    en: 'Public doctor profile (name, title, hospital, department, expertise, biography)',
  },
  'profile.photo': { zh: '头像', en: 'Avatar' },
  'rights.request': {
    zh: '您提出的个人信息权利请求及处理记录',
    en: 'Your data-rights requests and how they were handled',
  },
  'legal.hold': {
    zh: '注销后依法留存的登录与网络日志（加密，期满销毁）',
    en: 'Sign-in and network logs kept by law after cancellation (encrypted, destroyed when the period ends)',
  },
  'review.record': { zh: '入驻审核记录', en: 'Onboarding review records' },
  'automated.decision': {
    zh: '自动化预审结果（仅作提示，由人工审核决定）',
    en: 'Automated pre-check results (advice only; a person decides)',
  },
  'health.consultation': {
    zh: '问诊咨询内容（您描述的问题、消息）——医疗健康信息，属于敏感个人信息',
    en: 'Consultation content (your concern and messages): health data, which is sensitive',
  },
  'notice.record': { zh: '站内通知的阅读状态', en: 'In-app notices and whether you read them' },
  'device.push': {
    zh: '推送通知所需的设备信息（浏览器生成的推送地址及其密钥、所属推送服务），仅用于推送',
    en: 'Device data for push notifications (the push address your browser created, its keys, which push service it uses), used for push alone',
  },
  'notification.settings': {
    zh: '通知设置（接收哪些通知、免打扰时段和时区）',
    en: 'Notification settings (which notifications, quiet hours and time zone)',
  },
  'call.metadata': {
    zh: '语音和视频通话记录（类型、开始、接听和结束时间、时长、结果）——不录音、不录像，不保存通话内容',
    en: 'Voice and video call records (type, start, answer and end times, duration, outcome); calls are never recorded',
  },
};

/**
 * The policy is generated from the data inventory (POL-2): each category we hold, why, on what legal basis,
 * for how long, and who else receives it. Editing the inventory changes the policy, which creates a new version.
 */
export function generatePolicy(operator: OperatorInfo): PolicyDraft {
  const byCategory = new Map<Category, PersonalColumn[]>();
  for (const cols of Object.values(INVENTORY)) {
    for (const spec of Object.values(cols)) {
      if (spec.sensitivity === 'none') continue;
      byCategory.set(spec.category, [...(byCategory.get(spec.category) ?? []), spec]);
    }
  }
  const categories = [...byCategory.keys()].sort();
  const describe = (lang: 'zh' | 'en') =>
    categories.map((cat) => {
      const specs = byCategory.get(cat)!;
      const purposes = [...new Set(specs.flatMap((s) => s.purposes))].map((p) => PURPOSES[p][lang]);
      const bases = [...new Set(specs.map((s) => s.legalBasis))].map((b) => LEGAL_BASES[b][lang]);
      const retention = [...new Set(specs.map((s) => s.retention))].map((r) => RETENTION[r][lang]);
      const encrypted = specs.every((s) => s.protection !== 'clear');
      const label = CATEGORY_LABELS[cat][lang];
      return lang === 'zh'
        ? `- **${label}**：用于${purposes.join('、')}；依据：${bases.join('、')}；保存期限：${retention.join('、')}${encrypted ? '；加密或去标识化存储' : ''}。`
        : `- **${label}**: for ${purposes.join(', ')}; basis: ${bases.join(', ')}; kept: ${retention.join(', ')}${encrypted ? '; stored encrypted or pseudonymised' : ''}.`;
    });
  const processors = (lang: 'zh' | 'en') =>
    Object.values(PROCESSORS).map((p) =>
      lang === 'zh'
        ? `- **${p.name.zh}**：${p.purpose.zh}；接收的信息：${p.dataReceived.zh}；所需权限：${p.permissions.zh}；涉及用户：${p.users.zh}；${p.link}${p.notInUse ? `（${p.notInUse.zh}）` : ''}`
        : `- **${p.name.en}**: ${p.purpose.en}; receives: ${p.dataReceived.en}; permissions: ${p.permissions.en}; users: ${p.users.en}; ${p.link}${p.notInUse ? ` (${p.notInUse.en})` : ''}`,
    );

  const zhText = [
    `# 安心隐私政策`,
    `运营方：${operator.name}。联系电话：${operator.hotline}；电子邮箱：${operator.email}。`,
    `## 一、我们处理哪些个人信息`,
    `注册和登录只需要您的手机号码（网络实名制要求），其他信息仅在您使用相应功能时才会收集。`,
    ...describe('zh'),
    `## 二、我们如何保护这些信息`,
    `全程使用 HTTPS 传输；敏感字段使用您专属的密钥加密存储，删除该密钥后，包括备份在内的所有副本都将无法读取；工作人员查看个人信息须说明目的并被记入不可篡改的审计日志。`,
    `## 三、我们与谁共享`,
    `我们不会出售您的个人信息。以下服务商仅为所列目的接收必要的信息：`,
    ...processors('zh'),
    `## 四、您的权利`,
    `您可以在“我的”中查看和更正个人信息、查看您的同意记录、管理登录设备，并可随时撤回可选的同意；撤回不影响此前基于同意已进行的处理。如需帮助，请拨打 ${operator.hotline}。`,
    `## 五、政策更新`,
    `政策更新时我们会提前通知，新版本在通知 7 日后生效；重大变更会再次征求您的同意。`,
  ].join('\n\n');

  const enText = [
    `# Anxin Privacy Policy`,
    `Operator: ${operator.name}. Phone: ${operator.hotline}; email: ${operator.email}.`,
    `## 1. What personal data we process`,
    `Signing up needs only your mobile number (real-name rule). Anything else is collected only when you use the feature that needs it.`,
    ...describe('en'),
    `## 2. How we protect it`,
    `Everything travels over HTTPS. Sensitive fields are encrypted with a key of your own; once that key is destroyed, no copy (backups included) can be read. Staff must state a purpose to view personal data, and every view is written to a tamper-evident audit log.`,
    `## 3. Who receives it`,
    `We never sell personal data. These providers receive only what is needed for the purpose listed:`,
    ...processors('en'),
    `## 4. Your rights`,
    `In "Me" you can see and correct your data, see your consent records, manage signed-in devices and withdraw optional consents at any time; withdrawal does not undo processing done before. For help call ${operator.hotline}.`,
    `## 5. Changes`,
    `We announce changes in advance; a new version takes effect 7 days after notice, and material changes ask for your consent again.`,
  ].join('\n\n');

  return {
    zh: {
      title: '安心隐私政策',
      summary: `欢迎使用安心。我们只在您使用相应功能时收集必要的个人信息，敏感信息加密存储，工作人员的每次查看都有记录。详细内容请阅读完整的《隐私政策》。如有疑问请致电 ${operator.hotline}。`,
      text: zhText,
    },
    en: {
      title: 'Anxin Privacy Policy',
      summary: `Welcome to Anxin. We collect only what a feature needs, encrypt sensitive data, and record every staff access. The full Privacy Policy has the details. Questions: ${operator.hotline}.`,
      text: enText,
    },
  };
}
