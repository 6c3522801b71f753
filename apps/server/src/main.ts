import { loadConfig, ConfigError } from './config.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { EmbeddedPostgresError } from './db/embedded.js';
import { buildApp } from './app.js';
import { openRuntime, createSmsProvider } from './runtime.js';
import { startJobs } from './jobs/jobs.js';
import { ALL_JOBS } from './jobs/retention.jobs.js';
import { consultationJobs } from './features/consultations/consultations.jobs.js';
import { pushJobs, startPushDispatcher } from './features/push/push.jobs.js';
import { rightsJobs } from './privacy/rights/rights.jobs.js';
import { retentionJobs } from './privacy/retention/retention.js';
import { systemClock } from './platform/clock.js';
import { loggerOptions } from './platform/logger.js';
import { PgBus } from './realtime/pg-bus.js';
import { deferredSchemas } from './platform/deferred-schemas.js';

async function main() {
  const config = loadConfig();
  const runtime = await openRuntime(config);
  const { log, db } = runtime;
  const sms = createSmsProvider(config, log);
  // Several instances on one database share realtime events through PostgreSQL (ANXIN_BUS=postgres).
  const bus = config.bus === 'postgres' ? new PgBus({ connectionString: runtime.connectionString, log }) : undefined;
  await bus?.start();
  // Route schemas compile on first use or right after listening, not before (about half a second of a start).
  const schemas = deferredSchemas();
  const app = await buildApp(
    { config, db, masterKey: runtime.masterKey, sms, clock: systemClock, bus },
    { logger: loggerOptions(config.logLevel), schemaController: schemas.schemaController },
  );
  const published = await app.services.policy.ensurePublished();
  if (published.published) log.info({ version: published.version }, 'privacy policy version published');
  // Jobs start while the server already answers: no request needs pg-boss, jobs wait in PostgreSQL meanwhile.
  const background = (async () => {
    const jobs = await startJobs({
      connectionString: runtime.connectionString,
      definitions: [
        ...ALL_JOBS,
        ...pushJobs(app.services.push),
        ...consultationJobs(app.services.consultations, app.services.media, config.consultationIdleHours),
        ...rightsJobs(app.services.rights),
        ...retentionJobs({ ...app.services, db, clock: systemClock }),
      ],
      db,
      clock: systemClock,
      log,
    });
    app.services.rights.useJobs((name, data) => jobs.send(name, data));
    // The VAPID key pair is made (first start) and loaded once; then committed notices flow from the outbox to jobs.
    await app.services.push.vapidDetails();
    return { jobs, pushDispatcher: startPushDispatcher({ push: app.services.push, jobs, log }) };
  })();

  let stopping = false;
  // While shutting down, late errors from connections being closed must not turn a clean stop into a crash.
  const duringShutdown = (err: unknown) => {
    if (!stopping) throw err;
    log.warn({ err: err instanceof Error ? err.message : String(err) }, 'error while shutting down (ignored)');
  };
  process.on('unhandledRejection', duringShutdown);
  const shutdown = async (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    await app.close().catch((err) => log.error({ err }, 'closing HTTP server failed'));
    const started = await background.catch(() => null);
    await started?.pushDispatcher.stop().catch((err) => log.error({ err }, 'stopping push dispatch failed'));
    await started?.jobs.stop().catch((err) => log.error({ err }, 'stopping jobs failed'));
    await bus?.close().catch((err) => log.error({ err }, 'closing the event bus failed'));
    await runtime.close().catch((err) => log.error({ err }, 'closing database failed'));
    log.info(exitCode === 0 ? 'stopped cleanly' : 'stopped');
    process.exit(exitCode);
  };
  // Graceful: HTTP first, then jobs, then the database.
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  background.catch((err) => {
    log.error({ err }, 'starting jobs failed');
    void shutdown('jobs failed', 1);
  });

  await app.listen({ port: config.port, host: config.host });
  void schemas.compileAll().catch((err) => log.error({ err }, 'compiling route schemas failed'));
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
  const banner = [
    '',
    `  安心 Anxin is running at ${url}`,
    `    医生端 Doctor app:   ${url}/`,
    `    患者端 Patient app:  ${url}/patient`,
    `    管理后台 Staff:      ${url}/admin`,
    `    API docs:            ${url}/docs`,
    sms.isLocalOnly
      ? '  短信：开发模式，未发送真实短信（验证码见本日志和管理后台“开发发件箱”）\n  SMS: console provider, no real SMS is sent (codes appear in this log and the staff dev outbox)'
      : '',
    '',
  ].join('\n');
  process.stdout.write(banner + '\n');
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof DataDirLockedError || err instanceof EmbeddedPostgresError) {
    console.error(`\n${err.message}\n`);
  } else {
    console.error(err);
  }
  process.exit(1);
});
