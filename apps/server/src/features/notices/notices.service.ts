import crypto from 'node:crypto';
import type { NoticeList } from '@anxin/contracts';
import type { Db, Queryable } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import type { Clock } from '../../platform/clock.js';
import * as repo from './notices.repo.js';

/**
 * In-app notices. Rows hold a kind and ids/status values only; the words are rendered here from the kind, so no
 * personal data sits in the notices table and the text follows the reader's language.
 */
const TEXTS: Record<
  string,
  {
    title: { zh: string; en: string };
    body: { zh: string; en: string };
    link: string | ((data: Record<string, unknown>) => string) | null;
  }
> = {
  // Consultation notices never carry names or message content: only that something happened, and where.
  'consultation.requested': {
    title: { zh: '新的问诊请求', en: 'New consultation request' },
    body: {
      zh: '有患者向您发起了问诊，请及时查看并接诊。',
      en: 'A patient has asked you for a consultation. Please review it.',
    },
    link: (d) => `/consultations/${String(d.consultationId)}`,
  },
  'consultation.accepted': {
    title: { zh: '医生已接诊', en: 'Your doctor accepted' },
    body: {
      zh: '医生已接诊，现在可以开始交流了。',
      en: 'Your doctor accepted the consultation; you can start talking now.',
    },
    link: (d) => `/consultations/${String(d.consultationId)}`,
  },
  'consultation.declined': {
    title: { zh: '问诊未被接诊', en: 'Consultation declined' },
    body: { zh: '医生暂时无法接诊，点击查看原因。', en: 'The doctor cannot take this consultation; tap to see why.' },
    link: (d) => `/consultations/${String(d.consultationId)}`,
  },
  'consultation.ended': {
    title: { zh: '问诊已结束', en: 'Consultation ended' },
    body: {
      zh: '本次问诊已结束，记录可随时查看。',
      en: 'This consultation has ended; you can read it again at any time.',
    },
    link: (d) => `/consultations/${String(d.consultationId)}`,
  },
  'consultation.ended_idle': {
    title: { zh: '问诊已自动结束', en: 'Consultation closed' },
    body: {
      zh: '这次问诊较长时间没有新消息，已自动结束。记录可随时查看，患者可在记录中发起复诊。',
      en: 'This consultation had no new messages for a while and was closed. The record stays available; the patient can start a follow-up from it.',
    },
    link: (d) => `/consultations/${String(d.consultationId)}`,
  },
  // RIG-5: the other side cancelled their account; the record stays (medical-record rules).
  'consultation.ended_account_closed': {
    title: { zh: '问诊已结束', en: 'Consultation ended' },
    body: {
      zh: '对方已注销账号，这次问诊随之结束。问诊记录仍可查看；如需继续，请另选医生发起问诊。',
      en: 'The other side closed their account, so this consultation has ended. The record stays available; to continue, start a consultation with another doctor.',
    },
    link: (d) => `/consultations/${String(d.consultationId)}`,
  },
  // CON-4: a patient's message showed signs of risk. Worded so a lock screen reveals nothing about it.
  'consultation.attention': {
    title: { zh: '请尽快查看问诊', en: 'A consultation needs your attention' },
    body: {
      zh: '一位患者的最新消息可能需要您优先关注，请尽快打开问诊查看。',
      en: 'A patient’s latest message may need your prompt attention. Please open the consultation soon.',
    },
    link: (d) => `/consultations/${String(d.consultationId)}`,
  },
  'consultation.message': {
    title: { zh: '您有新消息', en: 'You have new messages' },
    body: { zh: '问诊中有新的消息，点击查看。', en: 'There are new messages in a consultation; tap to read them.' },
    link: (d) => `/consultations/${String(d.consultationId)}`,
  },
  // Calls: that someone is calling, or called, and in which consultation; never who (CON-2, push payloads too).
  'call.incoming': {
    title: { zh: '来电', en: 'Incoming call' },
    body: { zh: '问诊中有人正在呼叫您，点击接听。', en: 'Someone is calling you in a consultation. Tap to answer.' },
    link: (d) => `/consultations/${String(d.consultationId)}`,
  },
  'call.missed': {
    title: { zh: '未接来电', en: 'Missed call' },
    body: {
      zh: '您错过了问诊中的一通来电，可以回拨或发消息。',
      en: 'You missed a call in a consultation. Call back or send a message.',
    },
    link: (d) => `/consultations/${String(d.consultationId)}`,
  },
  'onboarding.approved': {
    title: { zh: '入驻审核已通过', en: 'Your application is approved' },
    body: {
      zh: '您的资质已核验通过，公开主页已上线，患者现在可以找到您。',
      en: 'Your credentials are verified and your public profile is live; patients can now find you.',
    },
    link: '/onboarding/status',
  },
  'onboarding.changes_requested': {
    title: { zh: '入驻申请需要修改', en: 'Your application needs changes' },
    body: {
      zh: '审核人员请您修改部分信息，请查看原因并重新提交。',
      en: 'A reviewer asked for changes. See the reason and resubmit.',
    },
    link: '/onboarding/status',
  },
  'onboarding.rejected': {
    title: { zh: '入驻申请未通过', en: 'Your application was not approved' },
    body: {
      zh: '很遗憾，您的入驻申请未通过，点击查看原因。如有疑问请联系客服。',
      en: 'Unfortunately your application was not approved. See the reason; contact support with questions.',
    },
    link: '/onboarding/status',
  },
  // Issue 11: data-subject requests. The link opens the person's own privacy page.
  'rights.export_ready': {
    title: { zh: '您的数据副本已生成', en: 'Your copy of your data is ready' },
    body: {
      zh: '请在 7 天内下载，链接只能使用一次。',
      en: 'Download it within 7 days; the link works once.',
    },
    link: '/me/privacy',
  },
  'rights.answered': {
    title: { zh: '您的个人信息请求有了答复', en: 'Your data request has been answered' },
    body: { zh: '点击查看处理结果。', en: 'Tap to see the outcome.' },
    link: '/me/privacy',
  },
  // For privacy officers (staff console): a deadline is close, or a year's holiday notice is missing.
  'rights.due_soon': {
    title: { zh: '个人信息权利请求即将到期', en: 'A data-subject request is due soon' },
    body: { zh: '请在到期日前处理。', en: 'Please handle it before its due date.' },
    link: '/rights',
  },
  'rights.calendar_missing': {
    title: { zh: '请录入节假日安排', en: 'Add the holiday notice' },
    body: {
      zh: '有请求的到期日按尚未录入的年份预估，请在“工作日历”中录入该年的节假日安排。',
      en: 'Some due dates fall in a year without a holiday notice; add it under Calendar.',
    },
    link: '/rights/calendar',
  },
};

export type NoticeKind = keyof typeof TEXTS;

export class NoticeService {
  constructor(
    private readonly deps: {
      db: Db;
      clock: Clock;
      /** Runs in the notice's own transaction (push outbox): a rolled-back notice leaves no trace there either. */
      onCreated?: (trx: Queryable, notice: { id: string; userId: string; kind: string }) => Promise<void>;
    },
  ) {}

  async create(trx: Queryable, userId: string, kind: NoticeKind, data: Record<string, string> = {}): Promise<void> {
    const id = crypto.randomUUID();
    await repo.insert(trx, {
      id,
      user_id: userId,
      kind,
      data: JSON.stringify(data),
      created_at: this.deps.clock.now(),
    });
    await this.deps.onCreated?.(trx, { id, userId, kind });
  }

  /** One unread notice per consultation is enough: further messages do not pile up more of them. */
  async createUnlessUnread(
    trx: Queryable,
    userId: string,
    kind: NoticeKind,
    data: Record<string, string>,
  ): Promise<void> {
    const existing = await repo.findUnread(trx, userId, kind, data.consultationId ?? '');
    if (!existing) await this.create(trx, userId, kind, data);
  }

  async list(userId: string): Promise<NoticeList> {
    const rows = await repo.listForUser(this.deps.db, userId, 100);
    return {
      notices: rows.map((r) => {
        const text = TEXTS[r.kind] ?? { title: { zh: '通知', en: 'Notice' }, body: { zh: '', en: '' }, link: null };
        return {
          id: r.id,
          kind: r.kind,
          title: text.title,
          body: text.body,
          link: typeof text.link === 'function' ? text.link(r.data as Record<string, unknown>) : text.link,
          createdAt: new Date(r.created_at).toISOString(),
          readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
        };
      }),
      unread: rows.filter((r) => !r.read_at).length,
    };
  }

  async markRead(userId: string, id: string): Promise<void> {
    const res = await repo.markRead(this.deps.db, userId, id, this.deps.clock.now());
    if (Number(res.numUpdatedRows) === 0) throw new AppError('NOTICE_NOT_FOUND');
  }
}
