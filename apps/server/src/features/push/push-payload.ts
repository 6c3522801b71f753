import type { PushPayload } from '@anxin/contracts';

/**
 * The words of a push, chosen from the notice kind alone (NOT-2). A lock screen may be seen by anyone near the
 * phone, and the push service relays the (encrypted) payload, so it never holds a name, message content, phone
 * number or anything the notice's data carries besides ids. Patients' status updates are worded so that the lock
 * screen does not even say a consultation was declined or ended.
 */
const BODY: Record<string, { zh: string; en: string }> = {
  'consultation.message': { zh: '您有一条新消息', en: 'You have a new message' },
  'consultation.requested': { zh: '您有一条新的问诊请求', en: 'You have a new consultation request' },
  'consultation.accepted': { zh: '您有一条新通知，请打开查看', en: 'You have a new notice; open the app to see it' },
  'consultation.declined': { zh: '您有一条新通知，请打开查看', en: 'You have a new notice; open the app to see it' },
  'consultation.ended': { zh: '您有一条新通知，请打开查看', en: 'You have a new notice; open the app to see it' },
  'call.incoming': { zh: '您有一个来电', en: 'You have an incoming call' },
  'call.missed': { zh: '您有一个未接来电', en: 'You missed a call' },
  'onboarding.approved': { zh: '您的入驻申请有新进展', en: 'There is news about your application' },
  'onboarding.changes_requested': { zh: '您的入驻申请有新进展', en: 'There is news about your application' },
  'onboarding.rejected': { zh: '您的入驻申请有新进展', en: 'There is news about your application' },
};
const FALLBACK = { zh: '您有一条新通知，请打开查看', en: 'You have a new notice; open the app to see it' };
const TITLE = { zh: '安心', en: 'Anxin' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Only an id that looks like one ever reaches the link: anything else in the notice data is ignored. */
function consultationId(data: Record<string, unknown>): string | null {
  const id = data.consultationId;
  return typeof id === 'string' && UUID.test(id) ? id.toLowerCase() : null;
}

/**
 * How long the push service may hold it and how urgently to wake the device: a ringing call is worthless after a
 * minute; anything else is still useful for a day.
 */
export function deliveryOptionsFor(kind: string): { ttlSeconds: number; urgency: 'normal' | 'high' } {
  if (kind === 'call.incoming') return { ttlSeconds: 60, urgency: 'high' };
  return { ttlSeconds: 24 * 3600, urgency: 'normal' };
}

export function buildPushPayload(notice: {
  id: string;
  kind: string;
  data: Record<string, unknown>;
  locale: 'zh-CN' | 'en';
  app: 'doctor' | 'patient';
}): PushPayload {
  const lang = notice.locale === 'en' ? 'en' : 'zh';
  const base = notice.app === 'patient' ? '/patient' : '';
  let path = '/notices';
  let tag = `notice:${notice.id}`;
  if (notice.kind.startsWith('consultation.') || notice.kind.startsWith('call.')) {
    const id = consultationId(notice.data);
    if (id) {
      path = `/consultations/${id}`;
      tag = `consultation:${id}`;
    }
  } else if (notice.kind.startsWith('onboarding.')) {
    path = '/onboarding/status';
    tag = 'onboarding';
  }
  return {
    v: 1,
    title: TITLE[lang],
    body: (BODY[notice.kind] ?? FALLBACK)[lang],
    url: `${base}${path}`,
    tag,
  };
}
