import crypto from 'node:crypto';
import { sql } from 'kysely';
import type { NoticeList } from '@anxin/contracts';
import type { Db, Queryable } from '../../db/database.js';
import { AppError } from '../../platform/errors.js';
import type { Clock } from '../../platform/clock.js';

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
      zh: '有患者向你发起了问诊，请及时查看并接诊。',
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
  'consultation.message': {
    title: { zh: '您有新消息', en: 'You have new messages' },
    body: { zh: '问诊中有新的消息，点击查看。', en: 'There are new messages in a consultation; tap to read them.' },
    link: (d) => `/consultations/${String(d.consultationId)}`,
  },
  'onboarding.approved': {
    title: { zh: '入驻审核已通过', en: 'Your application is approved' },
    body: {
      zh: '你的资质已核验通过，公开主页已上线，患者现在可以找到你。',
      en: 'Your credentials are verified and your public profile is live; patients can now find you.',
    },
    link: '/onboarding/status',
  },
  'onboarding.changes_requested': {
    title: { zh: '入驻申请需要修改', en: 'Your application needs changes' },
    body: {
      zh: '审核人员请你修改部分信息，请查看原因并重新提交。',
      en: 'A reviewer asked for changes. See the reason and resubmit.',
    },
    link: '/onboarding/status',
  },
  'onboarding.rejected': {
    title: { zh: '入驻申请未通过', en: 'Your application was not approved' },
    body: {
      zh: '很遗憾，你的入驻申请未通过，点击查看原因。如有疑问请联系客服。',
      en: 'Unfortunately your application was not approved. See the reason; contact support with questions.',
    },
    link: '/onboarding/status',
  },
};

export type NoticeKind = keyof typeof TEXTS;

export class NoticeService {
  constructor(private readonly deps: { db: Db; clock: Clock }) {}

  async create(trx: Queryable, userId: string, kind: NoticeKind, data: Record<string, string> = {}): Promise<void> {
    await trx
      .insertInto('notices')
      .values({
        id: crypto.randomUUID(),
        user_id: userId,
        kind,
        data: JSON.stringify(data),
        created_at: this.deps.clock.now(),
      })
      .execute();
  }

  /** One unread notice per consultation is enough: further messages do not pile up more of them. */
  async createUnlessUnread(
    trx: Queryable,
    userId: string,
    kind: NoticeKind,
    data: Record<string, string>,
  ): Promise<void> {
    const existing = await trx
      .selectFrom('notices')
      .select('id')
      .where('user_id', '=', userId)
      .where('kind', '=', kind)
      .where('read_at', 'is', null)
      .where(sql<string>`data->>'consultationId'`, '=', data.consultationId ?? '')
      .executeTakeFirst();
    if (!existing) await this.create(trx, userId, kind, data);
  }

  async list(userId: string): Promise<NoticeList> {
    const rows = await this.deps.db
      .selectFrom('notices')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at', 'desc')
      .limit(100)
      .execute();
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
    const res = await this.deps.db
      .updateTable('notices')
      .set({ read_at: this.deps.clock.now() })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) throw new AppError('NOTICE_NOT_FOUND');
  }
}
