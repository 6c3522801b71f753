import fs from 'node:fs';
import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { Config } from './config.js';
import { createDb, type Db } from './db/database.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.js';
import { dataDirHolder, lockDataDir } from './db/data-dir-lock.js';
import { migrate } from './db/migrate.js';
import { loadMasterKey } from './crypto/master-key.js';
import { loggerOptions } from './platform/logger.js';
import { ConsoleSmsProvider } from './features/identity/sms/console-sms.js';
import { AliyunSmsProvider } from './features/identity/sms/aliyun-sms.js';
import type { SmsProvider } from './features/identity/sms/sms-provider.js';

/**
 * Opening the pieces a process needs (data folder lock, database, migrations, master key), shared by the server
 * and the CLI tools so that both find the same database the same way.
 */
export interface Runtime {
  config: Config;
  log: Logger;
  db: Db;
  connectionString: string;
  masterKey: Buffer;
  close(): Promise<void>;
}

export async function openRuntime(config: Config, opts: { log?: Logger; lock?: boolean } = {}): Promise<Runtime> {
  const log = opts.log ?? pino(loggerOptions(config.logLevel));
  const unlock = opts.lock === false ? () => {} : lockDataDir(config.dataDir);
  let embedded: EmbeddedDatabase | null = null;
  try {
    let connectionString = config.databaseUrl;
    if (!connectionString) {
      embedded = await startEmbeddedPostgres(config.dataDir, {
        log: (line) => log.debug({ component: 'postgres' }, line),
      });
      connectionString = embedded.connectionString;
      log.info({ dataDir: config.dataDir }, 'embedded PostgreSQL started');
    }
    const db = createDb(connectionString, 10, (err) =>
      log.warn({ err: err.message }, 'idle database connection closed'),
    );
    const applied = await migrate(db);
    if (applied.length > 0) log.info({ migrations: applied }, 'database migrated');
    const masterKey = loadMasterKey({
      fromEnv: config.masterKey,
      dataDir: config.dataDir,
      onGenerated: (file) =>
        log.warn(
          { file },
          'Generated a new master key. Back it up together with the database (npm run backup does): without it no encrypted data can ever be read.',
        ),
    });
    return {
      config,
      log,
      db,
      connectionString,
      masterKey,
      async close() {
        await db.destroy();
        if (embedded) await embedded.stop();
        unlock();
      },
    };
  } catch (err) {
    if (embedded) await embedded.stop().catch(() => {});
    unlock();
    throw err;
  }
}

/**
 * For command-line tools: use DATABASE_URL, or the embedded server the running Anxin process started (found
 * through the data folder), or start the embedded server ourselves when nothing is running.
 */
export async function openToolRuntime(config: Config, log?: Logger): Promise<Runtime> {
  const quiet = log ?? pino({ level: process.env.LOG_LEVEL ?? 'warn' });
  if (config.databaseUrl) return openRuntime(config, { log: quiet, lock: false });
  const holder = dataDirHolder(config.dataDir);
  if (holder === null) return openRuntime(config, { log: quiet });
  const settings = JSON.parse(fs.readFileSync(path.join(config.dataDir, 'embedded-postgres.json'), 'utf8')) as {
    port: number;
    password: string;
  };
  const connectionString = `postgres://postgres:${encodeURIComponent(settings.password)}@127.0.0.1:${settings.port}/anxin`;
  return openRuntime({ ...config, databaseUrl: connectionString }, { log: quiet, lock: false });
}

export function createSmsProvider(config: Config, log: Logger): SmsProvider {
  if (config.smsProvider === 'aliyun' && config.aliyun) return new AliyunSmsProvider(config.aliyun);
  return new ConsoleSmsProvider((line) => log.warn({ component: 'sms' }, line));
}
