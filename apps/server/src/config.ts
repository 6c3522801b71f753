import path from 'node:path';
import { loadCrisisConfig, type CrisisConfig } from './features/crisis/crisis.config.js';

/** Everything the server reads from the environment, parsed once in main.ts and passed down (no globals). */
export interface Config {
  nodeEnv: 'development' | 'production' | 'test';
  host: string;
  port: number;
  /** Where embedded PostgreSQL, the master key file and uploaded files live. */
  dataDir: string;
  /** External PostgreSQL; when unset the embedded server in dataDir is used. */
  databaseUrl: string | null;
  /** Base64 or hex encoded 32-byte key; when unset a key file is generated in dataDir. */
  masterKey: string | null;
  smsProvider: 'console' | 'aliyun';
  aliyun: { accessKeyId: string; accessKeySecret: string; signName: string; templateCode: string } | null;
  /** The origin users reach us at; used for CSRF origin checks, cookie Secure flag and links. */
  publicUrl: string;
  operator: { name: string; hotline: string; email: string };
  session: {
    idleMinutes: number;
    absoluteHours: number;
    keepSignedInDays: number;
    staffIdleMinutes: number;
    staffAbsoluteHours: number;
  };
  /** Consultations end by themselves after this many hours without a message (CON-1). */
  consultationIdleHours: number;
  /**
   * How long the operator keeps database backups (ANXIN_BACKUP_RETENTION_DAYS, default 35): a deletion certificate
   * states the date after which no backup holds even the ciphertext of an erased person (RIG-3).
   */
  backupRetentionDays: number;
  webDistDir: string;
  logLevel: string;
  /** Behind a reverse proxy that sets X-Forwarded-For (ANXIN_TRUST_PROXY=1): client addresses come from it. */
  trustProxy: boolean;
  /** Crisis signals (CON-4): the lexicon (maintained + ANXIN_CRISIS_LEXICON_FILE) and local crisis lines. */
  crisis: CrisisConfig;
  /** Realtime event fan-out: in this process only (one server), or PostgreSQL LISTEN/NOTIFY (several instances). */
  bus: 'in-process' | 'postgres';
  /** Voice and video calls (CON-2): ICE servers handed to the two participants of a call, and call timing. */
  calls: CallConfig;
}

export interface CallConfig {
  /** `stun:` URLs. None by default: a public STUN server would learn every caller's address. */
  stunUrls: string[];
  /** `turn:`/`turns:` URLs of a coturn server sharing `turnSecret` (TURN REST credentials). */
  turnUrls: string[];
  /** coturn's static-auth-secret; never sent to a browser. */
  turnSecret: string | null;
  /** How long one call's TURN credentials are valid. */
  turnTtlSeconds: number;
  /** `relay` forces every call through TURN (hides both addresses from each other; also the test switch). */
  iceTransportPolicy: 'all' | 'relay';
  ringSeconds: number;
  /** How long a participant whose connection dropped may take to come back before the call counts as failed. */
  reconnectGraceSeconds: number;
}

function listFrom(env: NodeJS.ProcessEnv, name: string, schemes: string[]): string[] {
  const list = (env[name] ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const url of list) {
    if (!schemes.some((s) => url.startsWith(`${s}:`)))
      throw new ConfigError(`${name} must list ${schemes.join('/')}: URLs separated by commas, got "${url}"`);
  }
  return list;
}

function callConfig(env: NodeJS.ProcessEnv): CallConfig {
  const stunUrls = listFrom(env, 'ANXIN_STUN_URLS', ['stun', 'stuns']);
  const turnUrls = listFrom(env, 'ANXIN_TURN_URLS', ['turn', 'turns']);
  const turnSecret = env.ANXIN_TURN_SECRET || null;
  if (turnUrls.length > 0 && !turnSecret)
    throw new ConfigError('ANXIN_TURN_URLS needs ANXIN_TURN_SECRET (the static-auth-secret of your coturn server)');
  if (turnSecret && turnSecret.length < 16)
    throw new ConfigError('ANXIN_TURN_SECRET must be at least 16 characters (use a long random string)');
  const policy = env.ANXIN_ICE_TRANSPORT_POLICY ?? 'all';
  if (policy !== 'all' && policy !== 'relay')
    throw new ConfigError(`ANXIN_ICE_TRANSPORT_POLICY must be "all" or "relay", got "${policy}"`);
  if (policy === 'relay' && turnUrls.length === 0)
    throw new ConfigError('ANXIN_ICE_TRANSPORT_POLICY=relay needs a TURN server in ANXIN_TURN_URLS');
  const ringSeconds = intFrom(env, 'ANXIN_CALL_RING_SECONDS', 45);
  if (ringSeconds < 10 || ringSeconds > 120)
    throw new ConfigError(`ANXIN_CALL_RING_SECONDS must be between 10 and 120, got ${ringSeconds}`);
  return {
    stunUrls,
    turnUrls,
    turnSecret,
    turnTtlSeconds: intFrom(env, 'ANXIN_TURN_TTL_SECONDS', 4 * 3600),
    iceTransportPolicy: policy,
    ringSeconds,
    reconnectGraceSeconds: intFrom(env, 'ANXIN_CALL_RECONNECT_SECONDS', 30),
  };
}

export class ConfigError extends Error {}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(value) || value <= 0)
    throw new ConfigError(`${name} must be a positive whole number, got "${raw}"`);
  return value;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const nodeEnv = env.NODE_ENV === 'production' ? 'production' : env.NODE_ENV === 'test' ? 'test' : 'development';
  const port = intFrom(env, 'PORT', 3000);
  if (port > 65535) throw new ConfigError(`PORT must be between 1 and 65535, got ${port}`);
  const host = env.HOST ?? '127.0.0.1';
  const smsProvider = (env.ANXIN_SMS_PROVIDER ?? 'console') as Config['smsProvider'];
  if (smsProvider !== 'console' && smsProvider !== 'aliyun') {
    throw new ConfigError(`ANXIN_SMS_PROVIDER must be "console" or "aliyun", got "${smsProvider}"`);
  }
  if (smsProvider === 'console' && nodeEnv === 'production') {
    // The console provider shows sign-in codes to staff and in logs: acceptable on a developer machine, never in production.
    throw new ConfigError(
      'ANXIN_SMS_PROVIDER=console is refused when NODE_ENV=production: it sends no SMS. Set ANXIN_SMS_PROVIDER=aliyun and its ANXIN_ALIYUN_* settings.',
    );
  }
  let aliyun: Config['aliyun'] = null;
  if (smsProvider === 'aliyun') {
    const need = [
      'ANXIN_ALIYUN_ACCESS_KEY_ID',
      'ANXIN_ALIYUN_ACCESS_KEY_SECRET',
      'ANXIN_ALIYUN_SMS_SIGN',
      'ANXIN_ALIYUN_SMS_TEMPLATE',
    ];
    const missing = need.filter((n) => !env[n]);
    if (missing.length > 0) throw new ConfigError(`ANXIN_SMS_PROVIDER=aliyun needs ${missing.join(', ')}`);
    aliyun = {
      accessKeyId: env.ANXIN_ALIYUN_ACCESS_KEY_ID!,
      accessKeySecret: env.ANXIN_ALIYUN_ACCESS_KEY_SECRET!,
      signName: env.ANXIN_ALIYUN_SMS_SIGN!,
      templateCode: env.ANXIN_ALIYUN_SMS_TEMPLATE!,
    };
  }
  const bus = (env.ANXIN_BUS || 'in-process') as Config['bus'];
  if (bus !== 'in-process' && bus !== 'postgres') {
    throw new ConfigError(`ANXIN_BUS must be "in-process" or "postgres", got "${bus}"`);
  }
  const publicUrl = (env.ANXIN_PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, '');
  let parsed: URL | null = null;
  try {
    parsed = new URL(publicUrl);
  } catch {
    parsed = null;
  }
  // The origin is used for CSRF checks: anything but http(s) would yield the origin "null".
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    throw new ConfigError(
      `ANXIN_PUBLIC_URL must be a full http(s) URL such as https://anxin.example.cn, got "${publicUrl}"`,
    );
  }
  return {
    nodeEnv,
    host,
    port,
    dataDir: path.resolve(cwd, env.ANXIN_DATA_DIR ?? 'data'),
    databaseUrl: env.DATABASE_URL || null,
    masterKey: env.ANXIN_MASTER_KEY || null,
    smsProvider,
    aliyun,
    publicUrl,
    operator: {
      name: env.ANXIN_OPERATOR_NAME ?? '安心互联网医院（示例运营方）',
      hotline: env.ANXIN_OPERATOR_HOTLINE ?? '400-000-0000',
      email: env.ANXIN_OPERATOR_EMAIL ?? 'privacy@anxin.example',
    },
    session: {
      idleMinutes: intFrom(env, 'ANXIN_SESSION_IDLE_MINUTES', 30),
      absoluteHours: intFrom(env, 'ANXIN_SESSION_ABSOLUTE_HOURS', 12),
      keepSignedInDays: intFrom(env, 'ANXIN_SESSION_KEEP_DAYS', 30),
      staffIdleMinutes: intFrom(env, 'ANXIN_STAFF_SESSION_IDLE_MINUTES', 30),
      staffAbsoluteHours: intFrom(env, 'ANXIN_STAFF_SESSION_ABSOLUTE_HOURS', 12),
    },
    consultationIdleHours: intFrom(env, 'ANXIN_CONSULTATION_IDLE_HOURS', 48),
    backupRetentionDays: intFrom(env, 'ANXIN_BACKUP_RETENTION_DAYS', 35),
    webDistDir: path.resolve(cwd, env.ANXIN_WEB_DIST ?? 'apps/web/dist'),
    logLevel: env.LOG_LEVEL ?? (nodeEnv === 'test' ? 'silent' : 'info'),
    trustProxy: env.ANXIN_TRUST_PROXY === '1',
    crisis: loadCrisisConfig(env, cwd, ConfigError),
    bus,
    calls: callConfig(env),
  };
}
