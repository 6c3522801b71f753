import type { CrisisView, ServerFrame } from '@anxin/contracts';
import { describe, expect, it } from 'vitest';
import { createRealtime } from '../../lib/realtime/realtime';
import { FakeSocket } from '../../lib/realtime/testing';
import { onCrisisFrame } from './frames';
import { canHandleCrisis, FALLBACK_RESOURCES, isCrisisFrameFor, linesForCopy, resourcesOf, telHref } from './model';

const frame: ServerFrame = { type: 'crisis', consultationId: 'c1', escalationId: 'e1', severity: 'acute' };

describe('crisis web model', () => {
  it('CON-4: only support and admins see the escalation console', () => {
    expect(canHandleCrisis(['support'])).toBe(true);
    expect(canHandleCrisis(['admin'])).toBe(true);
    expect(canHandleCrisis(['reviewer', 'privacy_officer', 'security_officer'])).toBe(false);
  });

  it('CON-4: the patient always has the national lines, even when the server list did not load', () => {
    expect(resourcesOf(undefined)).toBe(FALLBACK_RESOURCES);
    expect(FALLBACK_RESOURCES.map((r) => r.phone)).toEqual(['12356', '120', '110']);
    const view: CrisisView = {
      audience: 'patient',
      protocol: null,
      escalation: null,
      resources: [
        { id: 'local.1', kind: 'local', name: { zh: '本地', en: 'Local' }, phone: '010-1', tel: '0101', note: null },
      ],
    };
    expect(resourcesOf(view).map((r) => r.id)).toEqual(['local.1']);
  });

  it('CON-4: tel links carry digits only, and the copied text lists hotlines, not emergency numbers', () => {
    expect(telHref({ tel: '', phone: '(021) 1234-5678' })).toBe('tel:02112345678');
    expect(telHref({ tel: '+86 10 1234', phone: '' })).toBe('tel:+86101234');
    expect(linesForCopy(FALLBACK_RESOURCES, (t) => t.zh)).toBe('全国心理援助热线 12356');
  });

  it('CON-4: crisis frames reach the listeners of that consultation only', () => {
    FakeSocket.reset();
    const realtime = createRealtime({ url: () => 'ws://t/api/ws', WebSocket: FakeSocket, events: null, network: null });
    realtime.start();
    FakeSocket.last!.open();
    const seen: string[] = [];
    const off = onCrisisFrame(realtime, 'c1', (f) => seen.push(f.escalationId));
    FakeSocket.last!.receive(frame);
    FakeSocket.last!.receive({ ...frame, consultationId: 'c2', escalationId: 'e2' });
    FakeSocket.last!.receive({ type: 'status', consultationId: 'c1', status: 'ended' });
    off();
    FakeSocket.last!.receive(frame);
    realtime.stop();
    expect(seen).toEqual(['e1']);
    expect(isCrisisFrameFor(frame, 'c1')).toBe(true);
    expect(isCrisisFrameFor(frame, 'c2')).toBe(false);
  });
});
