import { loadConfig } from '../config.js';
import { openToolRuntime } from '../runtime.js';
import { verifyAuditChain } from '../privacy/audit/audit.js';

/** npm run audit:verify — walks the hash chain; exit code 1 and the first broken entry when it does not hold. */
const runtime = await openToolRuntime(loadConfig());
try {
  const result = await verifyAuditChain(runtime.db);
  if (result.ok) {
    console.log(
      `Audit chain intact: ${result.checked} entries verified. 审计哈希链完整，已校验 ${result.checked} 条。`,
    );
  } else {
    console.log(
      `Audit chain BROKEN at entry #${result.firstBroken!.id}: ${result.firstBroken!.reason} (${result.checked} entries verified before it). 审计哈希链在第 #${result.firstBroken!.id} 条处断裂。`,
    );
    process.exitCode = 1;
  }
} finally {
  await runtime.close();
}
// Exit with our own code now, whatever handles (pool sockets, timers) are still open.
process.exit(process.exitCode ?? 0);
