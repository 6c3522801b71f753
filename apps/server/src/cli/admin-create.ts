import type { StaffRole } from '@anxin/contracts';
import { loadConfig } from '../config.js';
import { openToolRuntime } from '../runtime.js';
import { createServices } from '../services.js';
import { systemClock } from '../platform/clock.js';
import { AppError, describeError } from '../platform/errors.js';
import { ConsoleSmsProvider } from '../features/identity/sms/console-sms.js';
import { parseArgs } from './args.js';

/**
 * npm run admin:create -- --phone 13800138000 [--roles admin,reviewer]
 * Creates (or finds) a staff account and prints a one-time TOTP enrolment link valid for 24 hours.
 */
const ROLES: StaffRole[] = ['reviewer', 'support', 'privacy_officer', 'security_officer', 'admin'];
const { flags } = parseArgs(process.argv.slice(2));
if (typeof flags.phone !== 'string') {
  console.error('Usage: npm run admin:create -- --phone 13800138000 [--roles admin,reviewer]');
  process.exit(2);
}
const roles = (typeof flags.roles === 'string' ? flags.roles : 'admin').split(',').map((r) => r.trim()) as StaffRole[];
const unknown = roles.filter((r) => !ROLES.includes(r));
if (unknown.length > 0) {
  console.error(`Unknown role(s): ${unknown.join(', ')}. Roles: ${ROLES.join(', ')}`);
  process.exit(2);
}
const config = loadConfig();
const runtime = await openToolRuntime(config);
try {
  const services = createServices({
    config,
    db: runtime.db,
    masterKey: runtime.masterKey,
    sms: new ConsoleSmsProvider(() => {}),
    clock: systemClock,
  });
  const result = await services.staff.createStaff({ phone: flags.phone, roles, grantedBy: null });
  console.log(
    result.created
      ? `Staff account created with roles: ${roles.join(', ')}.`
      : `Staff account already existed; roles now include: ${roles.join(', ')}.`,
  );
  console.log('\nOpen this one-time link (valid 24 h) to bind an authenticator app (TOTP):');
  console.log(`  ${result.enrolmentLink}\n`);
  console.log('Then sign in at /admin with the phone number, the SMS code and the authenticator code.');
} catch (err) {
  if (err instanceof AppError) {
    console.error(describeError(err.code, 'en'));
    process.exitCode = 2;
  } else throw err;
} finally {
  await runtime.close();
}
// Exit with our own code now, whatever handles (pool sockets, timers) are still open.
process.exit(process.exitCode ?? 0);
