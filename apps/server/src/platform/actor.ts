import type { AppKind, StaffRole } from '@anxin/contracts';

/** Who is calling: the signed-in account behind a request or a socket (set by platform/http.ts). */
export interface Actor {
  userId: string;
  app: AppKind;
  roles: StaffRole[];
  sessionId: string;
  stage: 'active' | 'totp_required' | 'totp_enrolment_required';
  locale: 'zh-CN' | 'en';
}

/** Where a request came from, for consent and audit records. */
export interface RequestMeta {
  ip: string;
  userAgent: string;
  requestId: string;
}
