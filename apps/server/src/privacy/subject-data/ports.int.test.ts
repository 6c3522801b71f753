import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/harness.js';
import { portCoverage, type PersonalDataPort } from './ports.js';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t.close());

describe('personal-data ports', () => {
  it('SEC-2: every personal column of the inventory is answered for by exactly one registered port, of its owner', () => {
    expect(portCoverage(t.app.services.personalData.ports())).toEqual({
      uncovered: [],
      doubled: [],
      notPersonal: [],
      misowned: [],
    });
  });

  it("SEC-2: a port that forgets a personal column, or claims another owner's table, fails the check", () => {
    const ports = t.app.services.personalData.ports();
    const push = ports.find((p) => p.describe().owner === 'features/push/push.repo.ts')!;
    const forgetful: PersonalDataPort = {
      ...push,
      describe: () => {
        const { owner, columns } = push.describe();
        return { owner, columns: { ...columns, push_subscriptions: ['user_id', 'service', 'endpoint_bidx'] } };
      },
    };
    const greedy: PersonalDataPort = {
      ...push,
      describe: () => ({ owner: 'features/push/push.repo.ts', columns: { notices: ['read_at'] } }),
    };
    const result = portCoverage([...ports.filter((p) => p !== push), forgetful, greedy]);
    expect(result.uncovered).toEqual(['push_subscriptions.subscription_enc']);
    expect(result.doubled).toEqual(['notices.read_at']);
    expect(result.misowned).toEqual(['features/push/push.repo.ts → notices']);
  });
});
