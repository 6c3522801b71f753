import { describe, expect, it } from 'vitest';
import { RETENTION } from '../inventory/purposes.js';
import { RETENTION_RULES, retentionsInUse } from './retention.js';

describe('retention rules (SEC-2)', () => {
  it('SEC-2: every retention period the inventory names has a rule, and network logs are kept at least 6 months (LOG-2)', () => {
    for (const r of retentionsInUse()) expect(RETENTION_RULES[r], r).toBeDefined();
    expect(Object.keys(RETENTION_RULES).sort()).toEqual(Object.keys(RETENTION).sort());
    const logs = RETENTION_RULES.network_logs_6m;
    expect(logs.kind === 'period' && logs.days >= 182).toBe(true);
    const hold = RETENTION_RULES.legal_hold;
    expect(hold.kind === 'period' && hold.days >= 182).toBe(true);
  });
});
