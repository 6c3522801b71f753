import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type {
  CalendarOverview,
  CalendarYearNotice,
  CancellationPreview,
  CompleteRightsRequestBody,
  CreateRightsRequestBody,
  CreatedRightsRequest,
  DataHeld,
  HeldCategory,
  LegalHold,
  RefuseRightsRequestBody,
  RightsEvent,
  RightsRequest,
  StaffCreateRightsRequestBody,
  StaffRightsRequest,
  StaffRightsRequestDetail,
  StaffRightsRequestList,
} from '@anxin/contracts';
import {
  calendarDaysDue,
  parseYearNotice,
  workingDaysDue,
  yearsWithData,
  type YearNotice,
} from '@anxin/domain/calendar';
import type { Config } from '../../config.js';
import type { Db, Queryable, Tx } from '../../db/database.js';
import type { FieldRef, KeyStore } from '../../crypto/key-store.js';
import type { Actor, RequestMeta } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { Clock } from '../../platform/clock.js';
import { auditBy, auditBySystem } from '../audit/audit.js';
import { INVENTORY, type Category } from '../inventory/inventory.js';
import { LEGAL_BASES, PURPOSES, RETENTION } from '../inventory/purposes.js';
import { PROCESSORS } from '../inventory/processors.js';
import { categoryLabel } from '../policy/policy-text.js';
import type { ErasureStep, PersonalDataRegistry } from '../subject-data/ports.js';
import type { IdentityService } from '../../features/identity/identity.service.js';
import type { NoticeService } from '../../features/notices/notices.service.js';
import type { ConsultationService } from '../../features/consultations/consultations.service.js';
import { CertificateSigner, fingerprint, type CertificateBody, type SignedCertificate } from './certificate.js';
import { packArchiveKey, readExportArchive, unpackArchiveKey, writeExportArchive } from './export-archive.js';
import * as repo from './rights.repo.js';
import type { RightsRequestRow } from './rights.repo.js';

/** PIPL art. 50 and our promise (RIG-7): a reply within 30 days; cancellation within 5 working days (RIG-5). */
export const REPLY_DAYS = 30;
export const CANCELLATION_WORKING_DAYS = 5;
/** More than this many requests of one kind in 30 days is flagged as repeated (never refused for that alone). */
export const REPEAT_LIMIT = 3;
/** The export's download link works once and for this long (RIG-1). */
export const EXPORT_TTL_DAYS = 7;
/** Network and sign-in logs are kept at least 6 months (Cybersecurity Law art. 21; LOG-2). */
export const NETWORK_LOG_DAYS = 183;
/** A closed request is kept as proof that we answered (then deleted by the retention job). */
export const REQUEST_RECORD_YEARS = 3;
const DAY = 86_400_000;

/** Job names; main.ts wires them to pg-boss (rights.jobs.ts). */
export const RIGHTS_JOBS = { buildExport: 'rights.build-export', process: 'rights.process' } as const;
export type JobSender = (name: string, data: { requestId: string }) => Promise<unknown>;

/** The day in mainland China (UTC+8, no daylight saving) of an instant: deadlines count in local days. */
export function shanghaiDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** Categories only staff have (no doctor or patient holds them); categories only doctors have. */
const STAFF_ONLY: Category[] = ['account.credentials'];
const DOCTOR_ONLY: Category[] = [
  'identity.name',
  'identity.id_number',
  'identity.document_photo',
  'credential.certificate',
  'profile.professional',
  'profile.public',
  'profile.photo',
  'review.record',
  'automated.decision',
];
const PATIENT_ONLY: Category[] = ['profile.demographics'];
/** Who receives which category (INV-1): the processors' entries say what they receive. */
const RECIPIENTS_OF: Partial<Record<Category, string[]>> = {
  'contact.phone': ['aliyun_sms'],
  'device.push': Object.keys(PROCESSORS).filter((id) => id !== 'aliyun_sms'),
};

export interface RightsDeps {
  db: Db;
  keys: KeyStore;
  clock: Clock;
  config: Pick<Config, 'dataDir' | 'publicUrl' | 'operator'>;
  personalData: PersonalDataRegistry;
  identity: Pick<
    IdentityService,
    'verifyStepUpCode' | 'endAllSessionsOf' | 'accountOf' | 'findAccountByPhone' | 'staffWithRole'
  >;
  notices: Pick<NoticeService, 'create'>;
  consultations: Pick<ConsultationService, 'closeAllOf' | 'list'>;
  /** The SMS provider's id and whether it is local only (what the recipient answers on erasure). */
  sms: { id: string; isLocalOnly: boolean };
  /** How long database backups are kept (the date after which no backup holds an erased person's ciphertext). */
  backupRetentionDays: number;
}

type Kind = RightsRequestRow['kind'];

/**
 * The data-subject rights engine (issue 11). Requests are verified (a fresh SMS code, or support's record of how
 * identity was checked), get their legal due date from the working-day calendar, and are answered through the
 * personal-data ports: export, correction, erasure, cancellation (crypto-shredding), explanation. Every step is in
 * the hash-chained audit log, in the transaction that makes it.
 */
export class RightsService {
  readonly signer: CertificateSigner;
  private sendJob: JobSender | null = null;

  constructor(private readonly deps: RightsDeps) {
    this.signer = new CertificateSigner(deps.config.dataDir);
  }

  /** main.ts hands over the job queue once pg-boss runs; until then (and in tests) jobs are picked up by sweeps. */
  useJobs(send: JobSender): void {
    this.sendJob = send;
  }

  private exportsDir(): string {
    const dir = path.join(this.deps.config.dataDir, 'exports');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  private ref(id: string, column: string): FieldRef {
    return { table: 'rights_requests', column, rowId: id };
  }

  private async seal(db: Queryable, subjectId: string, id: string, column: string, text: string | undefined | null) {
    return text ? this.deps.keys.encrypt(db, subjectId, this.ref(id, column), text) : null;
  }

  private unseal(db: Queryable, subjectId: string, id: string, column: string, blob: Buffer | null) {
    return this.deps.keys.decryptTextIfKept(db, subjectId, this.ref(id, column), blob);
  }

  // ---- the calendar ----

  async calendarNotices(db: Queryable = this.deps.db): Promise<YearNotice[]> {
    return (await repo.listCalendarNotices(db)).map((n) => ({
      year: n.year,
      holidays: n.holidays,
      workdays: n.workdays,
      source: n.source ?? undefined,
    }));
  }

  /** The due date of a request of this kind made at `at` (RIG-5, RIG-7). */
  async dueDate(db: Queryable, kind: Kind, at: Date): Promise<{ due: string; provisional: boolean; years: number[] }> {
    const day = shanghaiDay(at);
    if (kind !== 'cancellation') return { due: calendarDaysDue(day, REPLY_DAYS), provisional: false, years: [] };
    const r = workingDaysDue(day, CANCELLATION_WORKING_DAYS, await this.calendarNotices(db));
    return { due: r.due, provisional: r.provisional, years: r.yearsWithoutData };
  }

  async calendar(): Promise<CalendarOverview> {
    const notices = await repo.listCalendarNotices(this.deps.db);
    return {
      yearsWithData: yearsWithData(await this.calendarNotices()),
      notices: notices.map((n) => ({ year: n.year, source: n.source, addedAt: iso(n.added_at)! })),
    };
  }

  /**
   * An operator adds a year's holiday notice (no code change). Open requests counted provisionally for that year
   * get their true due date, which is never earlier than the provisional one, so nobody's deadline moves forward.
   */
  async addCalendarNotice(staff: Actor, body: CalendarYearNotice, meta: RequestMeta): Promise<CalendarOverview> {
    const parsed = parseYearNotice(body);
    if (!parsed.ok) throw new AppError('CALENDAR_NOTICE_INVALID', { detail: parsed.message });
    const notice = parsed.notice;
    await this.deps.db.transaction().execute(async (trx) => {
      const now = this.deps.clock.now();
      await repo.upsertCalendarNotice(trx, {
        year: notice.year,
        holidays: notice.holidays,
        workdays: notice.workdays,
        source: body.source ?? null,
        added_by: staff.userId,
        added_at: now,
      });
      for (const r of await repo.openProvisional(trx)) {
        const due = await this.dueDate(trx, r.kind, new Date(r.received_at));
        await repo.updateRequest(trx, r.id, { due_on: due.due, due_provisional: due.provisional });
      }
      await auditBy(trx, staff, meta, 'rights.calendar_notice_added', { details: { year: notice.year } }, now);
    });
    return this.calendar();
  }

  // ---- what we hold (Me → 个人信息与隐私) ----

  dataHeld(actor: Actor): DataHeld {
    const lang = actor.locale === 'en' ? 'en' : 'zh';
    const byCategory = new Map<Category, HeldCategory>();
    const hidden = [...STAFF_ONLY, ...(actor.app === 'doctor' ? PATIENT_ONLY : DOCTOR_ONLY)];
    for (const cols of Object.values(INVENTORY)) {
      for (const spec of Object.values(cols)) {
        if (spec.sensitivity === 'none' || hidden.includes(spec.category)) continue;
        const entry = byCategory.get(spec.category) ?? {
          category: spec.category,
          label: categoryLabel(spec.category, lang),
          purposes: [],
          legalBasis: [],
          retention: [],
          recipients: (RECIPIENTS_OF[spec.category] ?? []).map((id) => PROCESSORS[id]?.name[lang] ?? id),
          sensitive: false,
          count: null,
        };
        const add = (list: string[], v: string) => (list.includes(v) ? list : list.push(v));
        for (const p of spec.purposes) add(entry.purposes, PURPOSES[p][lang]);
        add(entry.legalBasis, LEGAL_BASES[spec.legalBasis][lang]);
        add(entry.retention, RETENTION[spec.retention][lang]);
        entry.sensitive ||= spec.sensitivity === 'sensitive';
        byCategory.set(spec.category, entry);
      }
    }
    const correctable = this.deps.personalData.ports().flatMap((p) => p.correctable ?? []);
    return {
      categories: [...byCategory.values()],
      boundAccounts: [],
      correctable: actor.app === 'patient' ? correctable : correctable.filter((f) => f !== 'ageBand' && f !== 'sex'),
      operator: this.deps.config.operator,
    };
  }

  async cancellationPreview(actor: Actor): Promise<CancellationPreview> {
    const lang = actor.locale === 'en' ? 'en' : 'zh';
    const now = this.deps.clock.now();
    const due = await this.dueDate(this.deps.db, 'cancellation', now);
    const held = this.dataHeld(actor).categories;
    const keptCategories: Category[] = ['health.consultation', 'call.metadata', 'consent.record', 'security.audit'];
    const logsUntil = shanghaiDay(new Date(now.getTime() + NETWORK_LOG_DAYS * DAY));
    const t = (zh: string, en: string) => (lang === 'zh' ? zh : en);
    const list = await this.deps.consultations.list(actor);
    return {
      dueOn: due.due,
      dueProvisional: due.provisional,
      erased: held.filter((c) => !keptCategories.includes(c.category as Category)).map((c) => c.label),
      kept: [
        {
          what: t(
            '问诊记录（含消息、图片、语音、通话记录）',
            'Consultation records (messages, photos, voice notes, calls)',
          ),
          why: t(
            '互联网诊疗病历须依法保存；以问诊专属密钥加密，与您的账号脱离关联',
            'Internet-consultation medical records must be kept by law; encrypted under the consultation’s own key and no longer linked to your account',
          ),
          until: t('问诊结束后至少 15 年', 'At least 15 years after each consultation'),
        },
        {
          what: t('登录与网络日志（时间、IP 地址、浏览器）', 'Sign-in and network logs (times, IP address, browser)'),
          why: t(
            '《网络安全法》要求网络日志留存不少于 6 个月',
            'The Cybersecurity Law requires network logs for at least 6 months',
          ),
          until: logsUntil,
        },
        {
          what: t(
            '同意记录与操作审计记录（仅随机编号，不含手机号）',
            'Consent and audit records (random ids only, no phone number)',
          ),
          why: t('证明我们依法取得同意并处理了您的请求', 'Proof that we had consent and handled your request'),
          until: t('注销后 3 年', '3 years after cancellation'),
        },
      ],
      openConsultations: list.filter((c) => c.status === 'active' || c.status === 'requested').length,
    };
  }

  // ---- requests by the person ----

  private async toPerson(db: Queryable, r: RightsRequestRow, certified: boolean, exp?: repo.RightsExportRow) {
    const refusalReason = await this.unseal(db, r.subject_id, r.id, 'refusal_reason_enc', r.refusal_reason_enc);
    const out: RightsRequest = {
      id: r.id,
      kind: r.kind,
      status: r.status,
      receivedAt: iso(r.received_at)!,
      dueOn: r.due_on,
      dueProvisional: r.due_provisional,
      details: await this.unseal(db, r.subject_id, r.id, 'details_enc', r.details_enc),
      erasureScope: r.erasure_scope,
      decision: r.decision,
      response: await this.unseal(db, r.subject_id, r.id, 'response_enc', r.response_enc),
      refusal: r.refusal_ground ? { ground: r.refusal_ground, reason: refusalReason ?? '' } : null,
      completedAt: iso(r.completed_at),
      withdrawnAt: iso(r.withdrawn_at),
      export: exp ? this.exportStatus(exp) : null,
      certificateReady: certified,
    };
    return out;
  }

  private exportStatus(e: repo.RightsExportRow) {
    const expired = e.state === 'ready' && e.expires_at && new Date(e.expires_at) <= this.deps.clock.now();
    return {
      state: expired ? ('expired' as const) : e.state,
      progress: e.progress,
      sizeBytes: e.size_bytes,
      expiresAt: iso(e.expires_at),
    };
  }

  async list(actor: Actor): Promise<RightsRequest[]> {
    const { db } = this.deps;
    const rows = await repo.listRequestsOfSubject(db, actor.userId);
    const ids = rows.map((r) => r.id);
    const [exps, certified] = await Promise.all([repo.exportsOf(db, ids), repo.certifiedAmong(db, ids)]);
    return Promise.all(
      rows.map((r) =>
        this.toPerson(
          db,
          r,
          certified.has(r.id),
          exps.find((e) => e.request_id === r.id),
        ),
      ),
    );
  }

  private async requestOf(db: Queryable, actor: Actor, id: string) {
    const r = await repo.findRequest(db, id);
    if (!r || r.subject_id !== actor.userId) throw new AppError('RIGHTS_REQUEST_NOT_FOUND');
    return r;
  }

  private checkBody(app: 'doctor' | 'patient', body: Omit<CreateRightsRequestBody, 'code'>) {
    if (body.kind === 'correction' && !body.details?.trim())
      throw new AppError('RIGHTS_DETAILS_REQUIRED', { what: 'details' });
    if (body.kind === 'erasure' && !body.erasureScope) throw new AppError('RIGHTS_DETAILS_REQUIRED', { what: 'scope' });
    if (body.kind === 'erasure' && body.erasureScope === 'other' && !body.details?.trim())
      throw new AppError('RIGHTS_DETAILS_REQUIRED', { what: 'details' });
    if (body.kind === 'explanation' && !body.decision)
      throw new AppError('RIGHTS_DETAILS_REQUIRED', { what: 'decision' });
    if (body.decision === 'onboarding_precheck' && app !== 'doctor')
      throw new AppError('VALIDATION_FAILED', { field: 'decision' });
  }

  /** RIG-7: a verified request, with its due date; a cancellation also signs the person out everywhere. */
  async create(actor: Actor, body: CreateRightsRequestBody, meta: RequestMeta): Promise<CreatedRightsRequest> {
    if (actor.app === 'staff') throw new AppError('WRONG_APP');
    this.checkBody(actor.app, body);
    if (body.kind === 'cancellation' && (await repo.hasOpenOfKind(this.deps.db, actor.userId, 'cancellation')))
      throw new AppError('RIGHTS_REQUEST_OPEN');
    await this.deps.identity.verifyStepUpCode(actor, body.code, meta);
    const { id, token, after } = await this.insert(this.deps.db, {
      subjectId: actor.userId,
      app: actor.app,
      body,
      verification: 'sms_step_up',
      verificationNote: null,
      enteredBy: null,
      by: actor,
      meta,
    });
    await after();
    const created = await this.list(actor).then((all) => all.find((r) => r.id === id)!);
    return { request: created, certificateUrl: token ? `/api/certificates/${id}?token=${token}` : null };
  }

  private async insert(
    db: Db,
    p: {
      subjectId: string;
      app: 'doctor' | 'patient';
      body: Omit<CreateRightsRequestBody, 'code'>;
      verification: RightsRequestRow['verification'];
      verificationNote: string | null;
      enteredBy: string | null;
      by: Actor;
      meta: RequestMeta;
    },
  ) {
    const id = crypto.randomUUID();
    const token = p.body.kind === 'cancellation' ? crypto.randomBytes(24).toString('base64url') : null;
    let closeSockets: () => Promise<void> = async () => undefined;
    await db.transaction().execute(async (trx) => {
      const now = this.deps.clock.now();
      const due = await this.dueDate(trx, p.body.kind, now);
      const recent = await repo.countRecentOfKind(trx, p.subjectId, p.body.kind, new Date(now.getTime() - 30 * DAY));
      await repo
        .insertRequest(trx, {
          id,
          subject_id: p.subjectId,
          app: p.app,
          kind: p.body.kind,
          received_at: now,
          due_on: due.due,
          due_provisional: due.provisional,
          erasure_scope: p.body.kind === 'erasure' ? (p.body.erasureScope ?? null) : null,
          decision: p.body.kind === 'explanation' ? (p.body.decision ?? null) : null,
          details_enc: await this.seal(trx, p.subjectId, id, 'details_enc', p.body.details?.trim()),
          verification: p.verification,
          verification_note_enc: await this.seal(trx, p.subjectId, id, 'verification_note_enc', p.verificationNote),
          entered_by: p.enteredBy,
          flagged_repeat: recent >= REPEAT_LIMIT,
          certificate_token_hash: token ? crypto.createHash('sha256').update(token).digest() : null,
        })
        .catch((err: unknown) => {
          // The one-open-cancellation index: a second tab asked at the same moment.
          if ((err as { code?: string }).code === '23505') throw new AppError('RIGHTS_REQUEST_OPEN');
          throw err;
        });
      await repo.insertEvent(trx, {
        request_id: id,
        at: now,
        actor_id: p.by.userId,
        actor_role: p.by.app === 'staff' ? 'support' : 'person',
        kind: 'received',
        note_enc: null,
      });
      if (p.body.kind === 'export') await repo.insertExport(trx, id);
      if (p.body.kind === 'cancellation')
        closeSockets = await this.deps.identity.endAllSessionsOf(trx, p.subjectId, 'account_cancellation_requested');
      await auditBy(
        trx,
        p.by,
        p.meta,
        'rights.requested',
        {
          subjectId: p.subjectId,
          details: {
            requestId: id,
            kind: p.body.kind,
            dueOn: due.due,
            provisional: due.provisional,
            verification: p.verification,
            flaggedRepeat: recent >= REPEAT_LIMIT,
          },
        },
        now,
      );
      if (due.provisional) await this.alertCalendar(trx);
    });
    return {
      id,
      token,
      after: async () => {
        await closeSockets();
        if (p.body.kind === 'export') await this.kick(RIGHTS_JOBS.buildExport, id);
        if (p.body.kind === 'erasure' && p.body.erasureScope !== 'other') await this.kick(RIGHTS_JOBS.process, id);
      },
    };
  }

  private async kick(name: string, requestId: string) {
    // The request is committed: if the queue is not up yet, the sweep job picks it up.
    await this.sendJob?.(name, { requestId }).catch(() => undefined);
  }

  private async alertCalendar(trx: Queryable) {
    for (const officer of await this.deps.identity.staffWithRole(trx, 'privacy_officer'))
      await this.deps.notices.create(trx, officer, 'rights.calendar_missing');
  }

  async withdraw(actor: Actor, id: string, meta: RequestMeta): Promise<RightsRequest> {
    await this.requestOf(this.deps.db, actor, id);
    await this.deps.db.transaction().execute(async (trx) => {
      const r = (await repo.findRequestForUpdate(trx, id))!;
      if (r.status !== 'received') throw new AppError('RIGHTS_REQUEST_STATE', { state: r.status });
      const now = this.deps.clock.now();
      await repo.updateRequest(trx, id, { status: 'withdrawn', withdrawn_at: now });
      await repo.insertEvent(trx, {
        request_id: id,
        at: now,
        actor_id: actor.userId,
        actor_role: 'person',
        kind: 'withdrawn',
        note_enc: null,
      });
      await auditBy(
        trx,
        actor,
        meta,
        'rights.withdrawn',
        { subjectId: actor.userId, details: { requestId: id, kind: r.kind } },
        now,
      );
    });
    return (await this.list(actor)).find((r) => r.id === id)!;
  }

  /** RIG-1: the archive, once. Marked downloaded before the first byte goes out; the file is deleted after. */
  async download(
    actor: Actor,
    id: string,
    meta: RequestMeta,
  ): Promise<{ stream: Readable; size: number | null; fileName: string }> {
    const r = await this.requestOf(this.deps.db, actor, id);
    if (r.kind !== 'export') throw new AppError('RIGHTS_REQUEST_NOT_FOUND');
    const { db } = this.deps;
    const exp = await db.transaction().execute(async (trx) => {
      const e = await repo.findExportForUpdate(trx, id);
      const now = this.deps.clock.now();
      if (!e || e.state === 'queued' || e.state === 'building') throw new AppError('EXPORT_NOT_READY');
      if (e.state !== 'ready' || !e.blob_name || !e.file_key_enc || (e.expires_at && new Date(e.expires_at) <= now))
        throw new AppError('EXPORT_GONE');
      await repo.updateExport(trx, id, { state: 'downloaded', downloaded_at: now });
      await auditBy(
        trx,
        actor,
        meta,
        'rights.export_downloaded',
        { subjectId: actor.userId, details: { requestId: id } },
        now,
      );
      const sealed = await this.deps.keys.decrypt(
        trx,
        actor.userId,
        { table: 'rights_exports', column: 'file_key_enc', rowId: id },
        e.file_key_enc,
      );
      return { e, key: unpackArchiveKey(sealed) };
    });
    const file = path.join(this.exportsDir(), exp.e.blob_name!);
    const stream = readExportArchive(file, exp.key);
    stream.once('close', () => void this.deleteExportFile(id, exp.e.blob_name!));
    return { stream, size: null, fileName: `anxin-data-${shanghaiDay(new Date(r.received_at))}.zip` };
  }

  private async deleteExportFile(requestId: string, blobName: string) {
    fs.rmSync(path.join(this.exportsDir(), blobName), { force: true });
    await this.deps.db.transaction().execute(async (trx) => {
      const now = this.deps.clock.now();
      await repo.updateExport(trx, requestId, { deleted_at: now, file_key_enc: null });
      await auditBySystem(trx, 'rights.export_deleted', { details: { requestId } }, now);
    });
  }

  /** Builds the export of a request (job). Idempotent: a ready or downloaded export is left alone. */
  async buildExport(requestId: string): Promise<void> {
    const { db } = this.deps;
    const r = await repo.findRequest(db, requestId);
    const e = await repo.findExport(db, requestId);
    if (
      !r ||
      !e ||
      r.status === 'withdrawn' ||
      r.status === 'refused' ||
      !['queued', 'building', 'failed'].includes(e.state)
    )
      return;
    const blob = crypto.randomUUID();
    await db.transaction().execute(async (trx) => {
      await repo.updateExport(trx, requestId, { state: 'building', progress: 0 });
      await repo.updateRequest(trx, requestId, { status: 'in_progress' });
      await repo.insertEvent(trx, {
        request_id: requestId,
        at: this.deps.clock.now(),
        actor_id: null,
        actor_role: 'system',
        kind: 'export_building',
        note_enc: null,
      });
    });
    const file = path.join(this.exportsDir(), blob);
    try {
      const k = await writeExportArchive({
        db,
        subject: { userId: r.subject_id },
        ports: this.deps.personalData.ports(),
        file,
        madeAt: this.deps.clock.now(),
        progress: (progress) => repo.updateExport(db, requestId, { progress }),
      });
      await db.transaction().execute(async (trx) => {
        const now = this.deps.clock.now();
        const sealed = await this.deps.keys.encrypt(
          trx,
          r.subject_id,
          { table: 'rights_exports', column: 'file_key_enc', rowId: requestId },
          packArchiveKey(k),
        );
        await repo.updateExport(trx, requestId, {
          state: 'ready',
          progress: 100,
          blob_name: blob,
          file_key_enc: sealed,
          size_bytes: k.size,
          ready_at: now,
          expires_at: new Date(now.getTime() + EXPORT_TTL_DAYS * DAY),
        });
        await repo.updateRequest(trx, requestId, { status: 'completed', completed_at: now });
        await repo.insertEvent(trx, {
          request_id: requestId,
          at: now,
          actor_id: null,
          actor_role: 'system',
          kind: 'export_ready',
          note_enc: null,
        });
        await this.deps.notices.create(trx, r.subject_id, 'rights.export_ready', { requestId });
        await auditBySystem(
          trx,
          'rights.export_ready',
          { subjectId: r.subject_id, details: { requestId, bytes: k.size } },
          now,
        );
      });
    } catch (err) {
      fs.rmSync(file, { force: true });
      await repo.updateExport(db, requestId, { state: 'failed' });
      throw err;
    }
  }

  // ---- certificates ----

  async certificateFor(actor: Actor, id: string): Promise<SignedCertificate> {
    await this.requestOf(this.deps.db, actor, id);
    return this.certificate(id);
  }

  async publicCertificate(id: string, token: string): Promise<SignedCertificate> {
    const r = await repo.findRequest(this.deps.db, id);
    const hash = crypto.createHash('sha256').update(token).digest();
    if (!r || !r.certificate_token_hash || !crypto.timingSafeEqual(hash, r.certificate_token_hash))
      throw new AppError('RIGHTS_REQUEST_NOT_FOUND');
    return this.certificate(id);
  }

  async certificate(id: string): Promise<SignedCertificate> {
    const c = await repo.findCertificate(this.deps.db, id);
    if (!c) throw new AppError('CERTIFICATE_NOT_READY');
    const publicKey = this.signer.publicKeyPem();
    return {
      certificate: c.body as unknown as CertificateBody,
      signature: c.signature,
      publicKey,
      publicKeyFingerprint: fingerprint(publicKey),
    };
  }

  // ---- staff ----

  private async toStaff(db: Queryable, r: RightsRequestRow, exp?: repo.RightsExportRow): Promise<StaffRightsRequest> {
    const today = shanghaiDay(this.deps.clock.now());
    return {
      id: r.id,
      kind: r.kind,
      status: r.status,
      app: r.app,
      subjectId: r.subject_id,
      receivedAt: iso(r.received_at)!,
      dueOn: r.due_on,
      dueProvisional: r.due_provisional,
      daysLeft: Math.round((Date.parse(r.due_on) - Date.parse(today)) / DAY),
      verification: r.verification,
      flaggedRepeat: r.flagged_repeat,
      erasureScope: r.erasure_scope,
      decision: r.decision,
      export: exp ? this.exportStatus(exp) : null,
    };
  }

  async queue(open: boolean): Promise<StaffRightsRequestList> {
    const { db } = this.deps;
    const rows = await repo.listQueue(db, open);
    const exps = await repo.exportsOf(
      db,
      rows.filter((r) => r.kind === 'export').map((r) => r.id),
    );
    const notices = await this.calendarNotices();
    const withData = new Set(yearsWithData(notices));
    const missing = [
      ...new Set(
        rows
          .filter((r) => r.due_provisional)
          .flatMap((r) => [Number(r.due_on.slice(0, 4)), Number(shanghaiDay(new Date(r.received_at)).slice(0, 4))]),
      ),
    ]
      .filter((y) => !withData.has(y))
      .sort();
    return {
      requests: await Promise.all(
        rows.map((r) =>
          this.toStaff(
            db,
            r,
            exps.find((e) => e.request_id === r.id),
          ),
        ),
      ),
      calendarYearsWithoutData: missing,
    };
  }

  private staffRole(staff: Actor): 'privacy_officer' | 'support' | 'admin' {
    return staff.roles.includes('privacy_officer')
      ? 'privacy_officer'
      : staff.roles.includes('admin')
        ? 'admin'
        : 'support';
  }

  /** The request with what the person wrote: a staff read of personal data, audited with its purpose. */
  async open(staff: Actor, id: string, purpose: string, meta: RequestMeta): Promise<StaffRightsRequestDetail> {
    await this.deps.db.transaction().execute(async (trx) => {
      const r = await repo.findRequest(trx, id);
      if (!r) throw new AppError('RIGHTS_REQUEST_NOT_FOUND');
      await auditBy(trx, staff, meta, 'rights.viewed', {
        subjectId: r.subject_id,
        purpose: purpose.trim().slice(0, 200),
        details: { requestId: id },
      });
    });
    return this.detail(id);
  }

  private async detail(id: string): Promise<StaffRightsRequestDetail> {
    const { db } = this.deps;
    const r = await repo.findRequest(db, id);
    if (!r) throw new AppError('RIGHTS_REQUEST_NOT_FOUND');
    const [exp, events, cert] = await Promise.all([
      repo.findExport(db, id),
      repo.listEvents(db, id),
      repo.findCertificate(db, id),
    ]);
    const person = await this.toPerson(db, r, cert !== undefined, exp);
    const eventsOut: RightsEvent[] = await Promise.all(
      events.map(async (e) => ({
        at: iso(e.at)!,
        kind: e.kind,
        by: e.actor_role,
        note: await this.deps.keys
          .decryptTextIfKept(
            db,
            r.subject_id,
            { table: 'rights_request_events', column: 'note_enc', rowId: String(e.id) },
            e.note_enc,
          )
          .catch(() => null),
      })),
    );
    const correctable = this.deps.personalData.ports().flatMap((p) => p.correctable ?? []);
    return {
      ...(await this.toStaff(db, r, exp)),
      details: person.details,
      response: person.response,
      refusal: person.refusal,
      verificationNote: await this.unseal(db, r.subject_id, id, 'verification_note_enc', r.verification_note_enc),
      completedAt: person.completedAt,
      events: eventsOut,
      correctable: r.app === 'patient' ? correctable : correctable.filter((f) => f !== 'ageBand' && f !== 'sex'),
      certificateReady: cert !== undefined,
    };
  }

  /** Support enters a request on someone's behalf, recording how identity was checked (RIG-7). */
  async createOnBehalf(
    staff: Actor,
    body: StaffCreateRightsRequestBody,
    meta: RequestMeta,
  ): Promise<StaffRightsRequest> {
    const subjectId = await this.deps.identity.findAccountByPhone(this.deps.db, body.app, body.phone);
    if (!subjectId) throw new AppError('SUBJECT_NOT_FOUND');
    this.checkBody(body.app, body);
    if (body.kind === 'cancellation' && (await repo.hasOpenOfKind(this.deps.db, subjectId, 'cancellation')))
      throw new AppError('RIGHTS_REQUEST_OPEN');
    const { id, after } = await this.insert(this.deps.db, {
      subjectId,
      app: body.app,
      body,
      verification: body.verification,
      verificationNote: body.verificationNote,
      enteredBy: staff.userId,
      by: staff,
      meta,
    });
    await after();
    return this.toStaff(this.deps.db, (await repo.findRequest(this.deps.db, id))!);
  }

  private async staffStep(
    staff: Actor,
    id: string,
    meta: RequestMeta,
    step: (
      trx: Tx,
      r: RightsRequestRow,
      now: Date,
    ) => Promise<{
      event: string;
      note?: string | null;
      action: Parameters<typeof auditBy>[3];
      details?: Record<string, unknown>;
    }>,
  ): Promise<StaffRightsRequestDetail> {
    await this.deps.db.transaction().execute(async (trx) => {
      const r = await repo.findRequestForUpdate(trx, id);
      if (!r) throw new AppError('RIGHTS_REQUEST_NOT_FOUND');
      const now = this.deps.clock.now();
      const out = await step(trx, r, now);
      await this.event(trx, r, now, staff, out.event, out.note ?? null);
      await auditBy(
        trx,
        staff,
        meta,
        out.action,
        { subjectId: r.subject_id, details: { requestId: id, kind: r.kind, ...out.details } },
        now,
      );
    });
    return this.detail(id);
  }

  private async event(trx: Tx, r: RightsRequestRow, now: Date, by: Actor | null, kind: string, note: string | null) {
    // The note is sealed under the person's key, bound to the event row: insert first to learn its id.
    const eventId = await repo.insertEvent(trx, {
      request_id: r.id,
      at: now,
      actor_id: by?.userId ?? null,
      actor_role: by ? this.staffRole(by) : 'system',
      kind,
      note_enc: null,
    });
    if (!note) return;
    const ref = { table: 'rights_request_events', column: 'note_enc', rowId: String(eventId) };
    await repo.setEventNote(trx, eventId, await this.deps.keys.encrypt(trx, r.subject_id, ref, note));
  }

  note(staff: Actor, id: string, note: string, meta: RequestMeta) {
    return this.staffStep(staff, id, meta, async () => ({ event: 'note', note, action: 'rights.noted' }));
  }

  /** RIG-7: refusal only on a ground from the list, with the reason the person will read. */
  refuse(staff: Actor, id: string, body: RefuseRightsRequestBody, meta: RequestMeta) {
    return this.staffStep(staff, id, meta, async (trx, r, now) => {
      if (r.status !== 'received' && r.status !== 'in_progress')
        throw new AppError('RIGHTS_REQUEST_STATE', { state: r.status });
      await repo.updateRequest(trx, id, {
        status: 'refused',
        refusal_ground: body.ground,
        refusal_reason_enc: await this.seal(trx, r.subject_id, id, 'refusal_reason_enc', body.reason.trim()),
        completed_at: now,
      });
      await this.deps.notices.create(trx, r.subject_id, 'rights.answered', { requestId: id });
      return { event: 'refused', note: body.reason.trim(), action: 'rights.refused', details: { ground: body.ground } };
    });
  }

  /** Completes a correction (through the port that owns the field, RIG-2) or an explanation (RIG-6). */
  complete(staff: Actor, id: string, body: CompleteRightsRequestBody, meta: RequestMeta) {
    return this.staffStep(staff, id, meta, async (trx, r, now) => {
      if (r.status !== 'received' && r.status !== 'in_progress')
        throw new AppError('RIGHTS_REQUEST_STATE', { state: r.status });
      if (r.kind === 'export' || r.kind === 'cancellation' || (r.kind === 'erasure' && r.erasure_scope !== 'other'))
        throw new AppError('RIGHTS_REQUEST_STATE', { state: r.status });
      let field: string | undefined;
      if (body.correction) {
        if (r.kind !== 'correction') throw new AppError('CORRECTION_FIELD_UNKNOWN', { field: body.correction.field });
        const port = this.deps.personalData.ports().find((p) => p.correctable?.includes(body.correction!.field));
        if (!port?.correct) throw new AppError('CORRECTION_FIELD_UNKNOWN', { field: body.correction.field });
        await port.correct(trx, { userId: r.subject_id }, body.correction.field, body.correction.value);
        field = body.correction.field;
        // The value itself is personal data: the audit log records which field, never what it became.
        await auditBy(
          trx,
          staff,
          meta,
          'rights.correction_applied',
          { subjectId: r.subject_id, details: { requestId: id, field } },
          now,
        );
      }
      await repo.updateRequest(trx, id, {
        status: 'completed',
        completed_at: now,
        response_enc: await this.seal(trx, r.subject_id, id, 'response_enc', body.response.trim()),
      });
      await this.deps.notices.create(trx, r.subject_id, 'rights.answered', { requestId: id });
      return {
        event: 'completed',
        note: body.response.trim(),
        action: 'rights.completed',
        details: field ? { field } : {},
      };
    });
  }

  /** The privacy officer runs a request now instead of waiting for its job. */
  async processNow(staff: Actor, id: string, meta: RequestMeta): Promise<StaffRightsRequestDetail> {
    const r = await repo.findRequest(this.deps.db, id);
    if (!r) throw new AppError('RIGHTS_REQUEST_NOT_FOUND');
    if (r.kind === 'export') await this.buildExport(id);
    else if (r.kind === 'cancellation' || (r.kind === 'erasure' && r.erasure_scope !== 'other'))
      await this.process(id, { staff, meta });
    else throw new AppError('RIGHTS_REQUEST_STATE', { state: r.status });
    return this.detail(id);
  }

  async holds(): Promise<LegalHold[]> {
    return (await repo.listActiveHolds(this.deps.db)).map((h) => ({
      id: h.id,
      requestId: h.request_id,
      category: h.category,
      basis: h.basis,
      heldFrom: iso(h.held_from)!,
      heldUntil: iso(h.held_until)!,
    }));
  }

  // ---- erasure and cancellation (RIG-3, RIG-5) ----

  /**
   * Processes an erasure or a cancellation: every personal-data port erases in the registry's order (the key store
   * last: crypto-shredding), all in one transaction with the audit entry, the legal holds and the signed
   * certificate. Idempotent: a request that is no longer open is left alone.
   */
  async process(id: string, by: { staff: Actor; meta: RequestMeta } | null = null): Promise<void> {
    const { db, clock } = this.deps;
    let afterCommit: Array<() => Promise<void>> = [];
    await db
      .transaction()
      .execute(async (trx) => {
        const r = await repo.findRequestForUpdate(trx, id);
        if (!r || (r.status !== 'received' && r.status !== 'in_progress')) return;
        if (r.kind !== 'cancellation' && !(r.kind === 'erasure' && r.erasure_scope !== 'other')) return;
        const now = clock.now();
        const subject = { userId: r.subject_id };
        await repo.updateRequest(trx, id, { status: 'in_progress' });
        await this.event(trx, r, now, by?.staff ?? null, 'processing_started', null);
        const steps: ErasureStep[] = [];
        const kept: CertificateBody['kept'] = [];
        let keyDestroyedAt: string | null = null;
        const ports = this.deps.personalData.ports();
        if (r.kind === 'cancellation') {
          // Ends the person's consultations (and hands an open crisis alert to support) before anything is erased.
          const closed = await this.deps.consultations.closeAllOf(trx, r.subject_id, now);
          const endSockets = await this.deps.identity.endAllSessionsOf(trx, r.subject_id, 'account_cancelled');
          afterCommit.push(closed.publish, endSockets);
          // LOG-2: the sign-in log (times, IP, browser) is kept 6 months under a key of the hold's own.
          const identity = ports.find((p) => p.describe().owner === 'features/identity/identity.repo.ts');
          const signIns = identity ? ((await identity.export(trx, subject)).data.sessions ?? []) : [];
          const holdId = crypto.randomUUID();
          const until = new Date(now.getTime() + NETWORK_LOG_DAYS * DAY);
          await repo.insertHold(trx, {
            id: holdId,
            request_id: id,
            category: 'device.network',
            basis: 'Cybersecurity Law art. 21: network logs kept at least 6 months (LOG-2)',
            held_from: now,
            held_until: until,
            payload_enc: await this.deps.keys.encrypt(
              trx,
              holdId,
              { table: 'legal_holds', column: 'payload_enc', rowId: holdId },
              JSON.stringify(signIns),
            ),
          });
          kept.push({
            table: 'legal_holds',
            rows: Array.isArray(signIns) ? signIns.length : 0,
            basis: 'Sign-in and network log, Cybersecurity Law art. 21 (at least 6 months), sealed under its own key',
            until: until.toISOString(),
          });
          for (const port of ports) steps.push(...(await port.erase(trx, subject, 'delete')));
          keyDestroyedAt = now.toISOString();
          for (const f of await repo.exportFilesOfSubject(trx, r.subject_id)) {
            await repo.updateExport(trx, f.request_id, { deleted_at: now, file_key_enc: null, state: 'expired' });
            afterCommit.push(async () => fs.rmSync(path.join(this.exportsDir(), f.blob_name!), { force: true }));
          }
        } else {
          const scopePorts: Record<string, string[]> = {
            push_devices: ['features/push/push.repo.ts'],
            notices: ['features/notices/notices.repo.ts'],
            sign_in_history: [],
          };
          for (const port of ports.filter((p) => scopePorts[r.erasure_scope!]!.includes(p.describe().owner)))
            steps.push(...(await port.erase(trx, subject, 'delete')));
          if (r.erasure_scope === 'sign_in_history')
            kept.push({
              table: 'sessions',
              rows: 0,
              basis:
                'Sign-in and network log, Cybersecurity Law art. 21: kept 6 months after each session ends, then deleted by the retention job',
              until: new Date(now.getTime() + NETWORK_LOG_DAYS * DAY).toISOString(),
            });
        }
        for (const s of steps)
          if (s.action === 'kept')
            kept.push({ table: s.table, rows: s.rows, basis: s.basis ?? '', until: untilOf(s, now) });
        const recipients = await this.tellRecipients(trx, id, steps, now);
        const body: CertificateBody = {
          format: 'anxin.deletion-certificate.v1',
          requestId: id,
          kind: r.kind as 'cancellation' | 'erasure',
          subject: r.subject_id,
          requestedAt: iso(r.received_at)!,
          processedAt: now.toISOString(),
          keyDestroyedAt,
          erased: steps
            .filter((s) => s.action !== 'kept')
            .map((s) => ({ table: s.table, action: s.action as 'deleted' | 'anonymised', rows: s.rows })),
          kept,
          recipients,
          backupsClearBy: new Date(now.getTime() + this.deps.backupRetentionDays * DAY).toISOString(),
          issuer: this.deps.config.publicUrl,
        };
        const signed = this.signer.sign(body);
        await repo.insertCertificate(trx, {
          request_id: id,
          issued_at: now,
          body: JSON.stringify(body),
          signature: signed.signature,
        });
        const response =
          r.kind === 'cancellation'
            ? 'Your account is cancelled and your data erased; download the deletion certificate for what was kept by law and until when.'
            : 'The data you asked us to delete is deleted; the deletion certificate lists what and when.';
        await repo.updateRequest(trx, id, {
          status: 'completed',
          completed_at: now,
          // After a cancellation the person's key is gone: the answer is stored in clear (it names no personal data).
          response_enc:
            r.kind === 'cancellation' ? null : await this.seal(trx, r.subject_id, id, 'response_enc', response),
        });
        await this.event(trx, r, now, by?.staff ?? null, 'completed', null);
        if (r.kind !== 'cancellation')
          await this.deps.notices.create(trx, r.subject_id, 'rights.answered', { requestId: id });
        const details = { requestId: id, kind: r.kind, erased: body.erased.length, kept: kept.length };
        if (by) await auditBy(trx, by.staff, by.meta, 'rights.erased', { subjectId: r.subject_id, details }, now);
        else await auditBySystem(trx, 'rights.erased', { subjectId: r.subject_id, details }, now);
        await auditBySystem(
          trx,
          'rights.certificate_issued',
          { subjectId: r.subject_id, details: { requestId: id } },
          now,
        );
      })
      .catch((err: unknown) => {
        afterCommit = [];
        throw err;
      });
    for (const f of afterCommit) await f().catch(() => undefined);
  }

  /** RIG-3: recipients that received the person's data are told to delete it; their answers are recorded. */
  private async tellRecipients(trx: Tx, requestId: string, steps: ErasureStep[], now: Date) {
    const out: CertificateBody['recipients'] = [];
    const record = async (recipient: string, answer: string) => {
      await repo.insertErasureNotification(trx, {
        request_id: requestId,
        recipient,
        asked_at: now,
        answer,
        answered_at: now,
      });
      out.push({ recipient, askedAt: now.toISOString(), answer });
    };
    const push = steps.find((s) => s.table === 'push_subscriptions');
    if (push && push.rows > 0)
      await record(
        'web_push',
        `${push.rows} subscription(s) deleted here, so nothing more is sent. Web Push (RFC 8030) has no remote deletion: the push service holds only the endpoint, which it drops when unused; it never received readable content.`,
      );
    if (steps.some((s) => s.table === 'users'))
      await record(
        this.deps.sms.id,
        this.deps.sms.isLocalOnly
          ? 'Local development provider: no message ever left this server, nothing to delete.'
          : 'The SMS API has no per-person deletion call; the request is recorded for the operator to send under its data-processing agreement. Codes expire within 5 minutes and carry no name.',
      );
    return out;
  }

  // ---- jobs ----

  /** Cancellations and erasures due today (Asia/Shanghai) or earlier, processed on or before their due date. */
  async processDue(): Promise<number> {
    const due = await repo.dueForProcessing(this.deps.db, shanghaiDay(this.deps.clock.now()));
    for (const { id } of due) await this.process(id);
    return due.length;
  }

  /** Builds exports whose job was lost; deletes files of downloaded or expired exports. */
  async sweepExports(): Promise<{ built: number; deleted: number }> {
    const { db } = this.deps;
    let built = 0;
    for (const r of await repo.listQueue(db, true))
      if (r.kind === 'export') {
        const e = await repo.findExport(db, r.id);
        if (e?.state === 'queued' && this.deps.clock.now().getTime() - new Date(r.received_at).getTime() > 60_000) {
          await this.buildExport(r.id);
          built++;
        }
      }
    const files = await repo.exportFilesToDelete(db, this.deps.clock.now());
    for (const f of files) {
      if (f.state === 'ready') await repo.updateExport(db, f.request_id, { state: 'expired' });
      await this.deleteExportFile(f.request_id, f.blob_name!);
    }
    return { built, deleted: files.length };
  }

  /** Daily: privacy officers are reminded of requests due within 3 days (durable: a job, not a timer). */
  async remind(): Promise<number> {
    const today = shanghaiDay(this.deps.clock.now());
    const soon = await repo.openDueBetween(this.deps.db, '2000-01-01', calendarDaysDue(today, 3));
    if (soon.length === 0) return 0;
    await this.deps.db.transaction().execute(async (trx) => {
      for (const officer of await this.deps.identity.staffWithRole(trx, 'privacy_officer'))
        await this.deps.notices.create(trx, officer, 'rights.due_soon', { count: String(soon.length) });
      await auditBySystem(trx, 'rights.reminder', { details: { due: soon.length } });
    });
    return soon.length;
  }

  /** Retention (SEC-2): holds that ended are released and their key destroyed; closed requests go after 3 years. */
  async retention(): Promise<{ holdsReleased: number; requestsDeleted: number }> {
    const { db, clock } = this.deps;
    const now = clock.now();
    let holdsReleased = 0;
    for (const h of await repo.holdsEndedBy(db, now)) {
      await db.transaction().execute(async (trx) => {
        await repo.releaseHold(trx, h.id, now);
        await this.deps.keys.destroy(trx, h.id, 'legal_hold_ended');
        await auditBySystem(
          trx,
          'rights.hold_released',
          { details: { holdId: h.id, requestId: h.request_id, category: h.category } },
          now,
        );
      });
      holdsReleased++;
    }
    const cutoff = new Date(now.getTime() - REQUEST_RECORD_YEARS * 365 * DAY);
    const requestsDeleted = await repo.clearClosedBefore(db, cutoff);
    return { holdsReleased, requestsDeleted };
  }
}

/**
 * Until when a table a port kept is held, by the retention engine's rules (privacy/retention): the medical record
 * 15 years, consent records, requests and the audit log 3 years. At least that long: a consultation that ended
 * earlier is retired on its own date, later.
 */
const KEPT_YEARS: Partial<Record<ErasureStep['table'], number>> = {
  consultations: 15,
  messages: 15,
  consultation_media: 15,
  calls: 15,
  crisis_escalations: 15,
  consents: 3,
  audit_log: 3,
  rights_requests: 3,
};
function untilOf(step: ErasureStep, now: Date): string {
  return new Date(now.getTime() + (KEPT_YEARS[step.table] ?? 3) * 365 * DAY).toISOString();
}
