/**
 * Typed client for the Anxin HTTP API (docs/api.md). Same-origin fetch with the session cookie,
 * JSON in and out, the UI language in `Accept-Language` so server messages come back localised.
 * Responses are never stored in the HTTP cache (`cache: 'no-store'`): they may carry health data.
 */
import type {
  AuditPage,
  AuditVerification,
  ConsentProof,
  DevOutbox,
  EnrolmentStartReply,
  ErrorBody,
  ErrorCode,
  Locale,
  Me,
  Ok,
  PolicyDocument,
  PrivacyOverview,
  RequestCodeBody,
  RequestCodeReply,
  SensitiveConsentDocument,
  SensitivePurpose,
  SessionList,
  UpdateMeBody,
  VerifyCodeBody,
} from '@anxin/contracts';
import i18n, { currentLocale } from './i18n';

/** A code from the server (typed by contracts), or one of ours for what never reached it. */
export type ApiErrorCode = ErrorCode | 'NETWORK_ERROR' | 'UNEXPECTED' | 'ABORTED' | `HTTP_${number}`;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** HTTP status; 0 when the request never reached the server. */
    readonly status: number,
    /** Stable machine-readable code from the server, or `NETWORK_ERROR` / `HTTP_<status>`. */
    readonly code: ApiErrorCode,
    message: string,
    readonly retryAfterSeconds?: number,
    readonly field?: string,
  ) {
    super(message);
  }

  get isNetwork(): boolean {
    return this.status === 0;
  }
}

/** Turns anything thrown into an ApiError, so screens can always show `message`. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  return new ApiError(0, 'UNEXPECTED', i18n.t('errors.unexpected'));
}

type ErrorListener = (error: ApiError, method: string, path: string) => void;
const errorListeners = new Set<ErrorListener>();

/** Lets the app shell react to any call's 401 (signed out) or 403 POLICY_ACCEPTANCE_REQUIRED. */
export function onApiError(listener: ErrorListener): () => void {
  errorListeners.add(listener);
  return () => errorListeners.delete(listener);
}

function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== 'object' || value === null || !('error' in value)) return false;
  const error = (value as { error: unknown }).error;
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
}

function retryAfterHeader(res: Response): number | undefined {
  const value = Number(res.headers.get('Retry-After'));
  return Number.isFinite(value) && value > 0 ? Math.ceil(value) : undefined;
}

export async function request<T>(
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  path: string,
  body?: unknown,
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': currentLocale() };
  const init: RequestInit = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  let res: Response;
  try {
    res = await fetch(path, init);
  } catch {
    throw emit(new ApiError(0, 'NETWORK_ERROR', i18n.t('errors.network')), method, path);
  }

  const text = await res.text().catch(() => '');
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }

  if (!res.ok) {
    if (isErrorBody(data)) {
      const { code, message, retryAfterSeconds, field } = data.error;
      throw emit(
        new ApiError(
          res.status,
          code as ErrorCode,
          message || i18n.t('errors.unexpected'),
          retryAfterSeconds ?? retryAfterHeader(res),
          field,
        ),
        method,
        path,
      );
    }
    // A proxy or gateway error page rather than the API's own error body.
    const message = res.status >= 500 ? i18n.t('errors.server') : i18n.t('errors.unexpected');
    throw emit(new ApiError(res.status, `HTTP_${res.status}`, message, retryAfterHeader(res)), method, path);
  }
  return data as T;
}

function emit(error: ApiError, method: string, path: string): ApiError {
  for (const listener of errorListeners) listener(error, method, path);
  return error;
}

const q = encodeURIComponent;

export const api = {
  policy: (locale: Locale) => request<PolicyDocument>('GET', `/api/policy/current?locale=${q(locale)}`),
  terms: (locale: Locale) => request<PolicyDocument>('GET', `/api/policy/terms?locale=${q(locale)}`),

  requestCode: (body: RequestCodeBody) => request<RequestCodeReply>('POST', '/api/auth/code', body),
  verifyCode: (body: VerifyCodeBody) => request<Me>('POST', '/api/auth/verify', body),
  totp: (code: string) => request<Me>('POST', '/api/auth/totp', { code }),
  enrolmentStart: (token: string) => request<EnrolmentStartReply>('POST', '/api/auth/enrolment/start', { token }),
  enrolmentFinish: (token: string, code: string) => request<Ok>('POST', '/api/auth/enrolment/finish', { token, code }),
  signOut: () => request<Ok>('POST', '/api/auth/sign-out'),

  me: () => request<Me>('GET', '/api/me'),
  /** Who is signed in, if anyone (200 either way); `ended`: this browser's session stopped working. */
  session: () => request<{ me: Me | null; ended: boolean }>('GET', '/api/session'),
  updateMe: (body: UpdateMeBody) => request<Me>('PATCH', '/api/me', body),
  sessions: () => request<SessionList>('GET', '/api/me/sessions'),
  signOutSession: (id: string) => request<Ok>('DELETE', `/api/me/sessions/${q(id)}`),
  signOutAll: (includeCurrent: boolean) => request<Ok>('POST', '/api/me/sessions/sign-out-all', { includeCurrent }),
  privacy: () => request<PrivacyOverview>('GET', '/api/me/privacy'),

  sensitiveConsent: (purpose: SensitivePurpose, locale: Locale) =>
    request<SensitiveConsentDocument>('GET', `/api/consents/sensitive/${q(purpose)}?locale=${q(locale)}`),
  giveSensitiveConsent: (purpose: SensitivePurpose, proof: ConsentProof) =>
    request<Ok>('POST', `/api/consents/sensitive/${q(purpose)}`, proof),
  withdrawSensitiveConsent: (purpose: SensitivePurpose) =>
    request<Ok>('DELETE', `/api/consents/sensitive/${q(purpose)}`),
  acceptPolicy: (proof: ConsentProof) => request<Ok>('POST', '/api/consents/policy', proof),

  devOutbox: () => request<DevOutbox>('GET', '/api/admin/dev-outbox'),
  audit: (limit = 50) => request<AuditPage>('GET', `/api/admin/audit?limit=${limit}`),
  verifyAudit: () => request<AuditVerification>('POST', '/api/admin/audit/verify'),
};

/** The text the person agreed to is no longer the current one: fetch it again and ask again. */
export function isStaleConsent(error: ApiError): boolean {
  return ['POLICY_VERSION_OUTDATED', 'CONSENT_TEXT_MISMATCH', 'POLICY_CONSENT_REQUIRED'].includes(error.code);
}

/** The consent proof for exactly the document that was shown. */
export function proofOf(doc: { version: number; locale: Locale; textSha256: string }): ConsentProof {
  return { version: doc.version, locale: doc.locale, textSha256: doc.textSha256 };
}

// review (staff console)
import type {
  DecisionBody,
  ReasonTemplates,
  ReviewDetail,
  ReviewQueue,
  RevealBody,
  RevealReply,
} from '@anxin/contracts';

/** Queue filters of `GET /api/admin/applications` (`pending` = submitted). */
export type ReviewStatusFilter = 'pending' | 'changes_requested' | 'approved' | 'rejected' | 'all';

/** ONB-4: the reviewers' queue, masked detail, purpose-bound reveal and decision. */
export const reviewApi = {
  queue: (status: ReviewStatusFilter, flaggedOnly: boolean) =>
    request<ReviewQueue>('GET', `/api/admin/applications?status=${q(status)}${flaggedOnly ? '&flagged=true' : ''}`),
  detail: (id: string) => request<ReviewDetail>('GET', `/api/admin/applications/${q(id)}`),
  reasons: () => request<ReasonTemplates>('GET', '/api/admin/review-reasons'),
  reveal: (id: string, body: RevealBody) =>
    request<RevealReply>('POST', `/api/admin/applications/${q(id)}/reveal`, body),
  decide: (id: string, body: DecisionBody) =>
    request<ReviewDetail>('POST', `/api/admin/applications/${q(id)}/decision`, body),
  /** For `<img src>`: the server sends `no-store`; `full` works only while a reveal of that slot is live. */
  photoUrl: (id: string, slot: string, variant: 'blurred' | 'full') =>
    `/api/admin/applications/${q(id)}/photos/${q(slot)}?variant=${variant}`,
};

// onboarding (doctor/patient)
import type {
  ApplicationForm,
  MyApplication,
  NoticeList,
  PhotoSlot,
  PractitionerType,
  PublicDoctor,
} from '@anxin/contracts';

/** Filters of `GET /api/public/doctors`; empty values are left out of the query. */
export interface DoctorFilter {
  q?: string;
  expertise?: string;
  type?: PractitionerType;
}

/** Parses an XHR's error reply like `request` does, so upload errors read the same as any other. */
function xhrError(xhr: XMLHttpRequest): ApiError {
  if (xhr.status === 0) return new ApiError(0, 'NETWORK_ERROR', i18n.t('errors.network'));
  let data: unknown;
  try {
    data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
  } catch {
    data = undefined;
  }
  const retry = Number(xhr.getResponseHeader('Retry-After'));
  const retryAfter = Number.isFinite(retry) && retry > 0 ? Math.ceil(retry) : undefined;
  if (isErrorBody(data)) {
    const { code, message, retryAfterSeconds, field } = data.error;
    return new ApiError(
      xhr.status,
      code as ErrorCode,
      message || i18n.t('errors.unexpected'),
      retryAfterSeconds ?? retryAfter,
      field,
    );
  }
  const message = xhr.status >= 500 ? i18n.t('errors.server') : i18n.t('errors.unexpected');
  return new ApiError(xhr.status, `HTTP_${xhr.status}`, message, retryAfter);
}

/**
 * Sends a photo as the raw request body (not multipart) with its own content type. XMLHttpRequest rather than
 * fetch, for upload progress on slow mobile connections.
 */
function uploadRaw<T>(
  path: string,
  file: Blob,
  contentType: string,
  onProgress?: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', currentLocale());
    xhr.setRequestHeader('Content-Type', contentType);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && onProgress) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as T);
        } catch {
          reject(emit(new ApiError(xhr.status, 'UNEXPECTED', i18n.t('errors.unexpected')), 'POST', path));
        }
      } else {
        reject(emit(xhrError(xhr), 'POST', path));
      }
    };
    xhr.onerror = () => reject(emit(new ApiError(0, 'NETWORK_ERROR', i18n.t('errors.network')), 'POST', path));
    xhr.onabort = () => reject(new ApiError(0, 'ABORTED', i18n.t('errors.unexpected')));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

/** The doctor's application (ONB-1/2), notices, and the public doctor directory (ONB-5). */
export const onboardingApi = {
  application: () => request<MyApplication>('GET', '/api/onboarding/application'),
  /** The whole form; invalid fields are still saved and come back in `fieldErrors`. */
  saveApplication: (form: ApplicationForm) => request<MyApplication>('PUT', '/api/onboarding/application', form),
  submitApplication: () => request<MyApplication>('POST', '/api/onboarding/application/submit'),
  uploadPhoto: (
    slot: PhotoSlot,
    file: Blob,
    contentType: string,
    onProgress?: (fraction: number) => void,
    signal?: AbortSignal,
  ) => uploadRaw<MyApplication>(`/api/onboarding/photos/${q(slot)}`, file, contentType, onProgress, signal),
  deletePhoto: (slot: PhotoSlot) => request<MyApplication>('DELETE', `/api/onboarding/photos/${q(slot)}`),
  /** For `<img src>`; `version` (e.g. the upload time) busts any cached copy after a replacement. */
  photoUrl: (slot: PhotoSlot, variant: 'thumb' | 'full', version?: string) =>
    `/api/onboarding/photos/${q(slot)}?variant=${variant}${version ? `&v=${q(version)}` : ''}`,

  notices: () => request<NoticeList>('GET', '/api/me/notices'),
  readNotice: (id: string) => request<Ok>('POST', `/api/me/notices/${q(id)}/read`),

  publicDoctors: (filter: DoctorFilter = {}) => {
    const params = new URLSearchParams();
    if (filter.q?.trim()) params.set('q', filter.q.trim());
    if (filter.expertise) params.set('expertise', filter.expertise);
    if (filter.type) params.set('type', filter.type);
    const query = params.toString();
    return request<{ doctors: PublicDoctor[] }>('GET', `/api/public/doctors${query ? `?${query}` : ''}`);
  },
  publicDoctor: (id: string) => request<PublicDoctor>('GET', `/api/public/doctors/${q(id)}`),
};

// consultations and messaging (doctor/patient)
import type {
  ConsultationDetail,
  ConsultationList,
  MediaKind,
  MessageAck,
  MessagePage,
  RequestConsultationBody,
  SendMessageBody,
} from '@anxin/contracts';

/** CON-1…3: requesting, the doctor's work queue, and the chat's REST side (the WebSocket is in the feature). */
export const consultationApi = {
  list: () => request<ConsultationList>('GET', '/api/consultations'),
  detail: (id: string) => request<ConsultationDetail>('GET', `/api/consultations/${q(id)}`),
  request: (body: RequestConsultationBody) => request<ConsultationDetail>('POST', '/api/consultations', body),
  accept: (id: string) => request<ConsultationDetail>('POST', `/api/consultations/${q(id)}/accept`),
  decline: (id: string, reason: string) =>
    request<ConsultationDetail>('POST', `/api/consultations/${q(id)}/decline`, { reason }),
  /** CON-4: with an unacknowledged crisis alert, the doctor's second step for it (else 409). */
  end: (id: string, crisis?: EndCrisisResolution) =>
    request<ConsultationDetail>('POST', `/api/consultations/${q(id)}/end`, crisis ? { crisis } : {}),
  followUp: (id: string, concern: string) =>
    request<ConsultationDetail>('POST', `/api/consultations/${q(id)}/follow-up`, { concern }),
  /** Acknowledged after the message is stored; the same `clientId` always gets the same `seq`. */
  send: (id: string, body: SendMessageBody) =>
    request<MessageAck>('POST', `/api/consultations/${q(id)}/messages`, body),
  messages: (id: string, after: number, limit = 200) =>
    request<MessagePage>('GET', `/api/consultations/${q(id)}/messages?after=${after}&limit=${limit}`),
  read: (id: string, seq: number) => request<Ok>('POST', `/api/consultations/${q(id)}/read`, { seq }),
  /** An image or voice note as the raw body; the same `clientId` always gets the same `seq`. */
  sendMedia: (
    id: string,
    query: { clientId: string; kind: MediaKind; durationMs?: number },
    file: Blob,
    onProgress?: (fraction: number) => void,
  ) => {
    const params = new URLSearchParams({ clientId: query.clientId, kind: query.kind });
    if (query.durationMs !== undefined) params.set('durationMs', String(Math.round(query.durationMs)));
    return uploadRaw<MessageAck>(
      `/api/consultations/${q(id)}/media-messages?${params.toString()}`,
      file,
      file.type || 'application/octet-stream',
      onProgress,
    );
  },
  /** For `<img src>` / `<audio src>`: served only to the two participants, never cached. */
  mediaUrl: (id: string, seq: number, variant: 'full' | 'thumb' | 'audio') =>
    `/api/consultations/${q(id)}/messages/${seq}/media/${variant}`,
};

// push notifications (doctor/patient)
import type { PushPreferences, PushPreferencesBody, PushSubscriptionBody, VapidPublicKey } from '@anxin/contracts';

/** NOT-1: Web Push for this device, per-category switches and quiet hours. */
export const pushApi = {
  vapidPublicKey: () => request<VapidPublicKey>('GET', '/api/push/vapid-public-key'),
  subscribe: (body: PushSubscriptionBody) => request<Ok>('POST', '/api/push/subscriptions', body),
  /** Turns push off for this device only; succeeds when there was nothing to remove. */
  unsubscribe: () => request<Ok>('DELETE', '/api/push/subscriptions/current'),
  preferences: () => request<PushPreferences>('GET', '/api/push/preferences'),
  savePreferences: (body: PushPreferencesBody) => request<PushPreferences>('PUT', '/api/push/preferences', body),
};

// crisis signals (CON-4)
import type {
  CrisisView,
  EndCrisisResolution,
  EscalationDetail,
  EscalationFilter,
  EscalationList,
} from '@anxin/contracts';

/** CON-4: crisis resources and alerts in a consultation; support's escalation queue in the staff console. */
export const crisisApi = {
  view: (consultationId: string) => request<CrisisView>('GET', `/api/consultations/${q(consultationId)}/crisis`),
  acknowledge: (consultationId: string) =>
    request<CrisisView>('POST', `/api/consultations/${q(consultationId)}/crisis/acknowledge`),
  escalations: (status: EscalationFilter) =>
    request<EscalationList>('GET', `/api/admin/crisis/escalations?status=${q(status)}`),
  escalation: (id: string) => request<EscalationDetail>('GET', `/api/admin/crisis/escalations/${q(id)}`),
  close: (id: string, note: string) =>
    request<EscalationDetail>('POST', `/api/admin/crisis/escalations/${q(id)}/close`, { note }),
};

// voice and video calls (CON-2)
import type { CallList, IceConfig } from '@anxin/contracts';

/** CON-2: a consultation's call records (metadata only) and fresh ICE servers for an open call. */
export const callApi = {
  list: (consultationId: string) => request<CallList>('GET', `/api/consultations/${q(consultationId)}/calls`),
  ice: (callId: string) => request<IceConfig>('GET', `/api/calls/${q(callId)}/ice`),
};
