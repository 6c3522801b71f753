import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createRealtime, parseFrame, reconnectDelay, socketUrl, type RealtimeState } from './realtime';
import { FakeSocket } from './testing';

const URL = 'ws://anxin.test/api/ws';
const message = (consultationId: string, seq: number) => ({
  type: 'message',
  consultationId,
  message: { seq, clientId: `c${seq}` },
});

function setup() {
  const events = new EventTarget();
  const network = new EventTarget();
  const onSessionEnded = vi.fn();
  const rt = createRealtime({ url: () => URL, WebSocket: FakeSocket, events, network });
  const states: RealtimeState[] = [];
  rt.onState((s) => states.push(s));
  rt.start({ onSessionEnded });
  return { rt, events, network, states, onSessionEnded };
}

describe('lib/realtime: the app’s one WebSocket', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeSocket.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('one socket is shared by two subscribers, and frames are routed by type', () => {
    const { rt, states } = setup();
    expect(FakeSocket.made).toHaveLength(1);
    expect(FakeSocket.last?.url).toBe(URL);
    expect(rt.state).toBe('connecting');

    const chat: unknown[] = [];
    const calls: unknown[] = [];
    const acks: unknown[] = [];
    rt.subscribe('message', (f) => chat.push(f.message.seq));
    rt.subscribe('ack', (f) => acks.push(f.clientId));
    rt.subscribe('call.incoming', (f) => calls.push(f.callId));
    // A second start (a second user of the connection) opens nothing new.
    rt.start();
    expect(FakeSocket.made).toHaveLength(1);

    const socket = FakeSocket.last!;
    expect(rt.send({ type: 'sync', consultationId: 'c1', after: 0 })).toBe(false); // not open yet: reported
    socket.open();
    expect(states).toEqual(['connecting', 'open']);
    socket.receive({ type: 'hello', userId: 'u1' });
    socket.receive(message('c1', 1));
    socket.receive({ type: 'call.incoming', callId: 'k1', consultationId: 'c1', media: 'voice', callerRole: 'doctor' });
    socket.receive({ type: 'ack', consultationId: 'c1', clientId: 'a', seq: 2, createdAt: '', duplicate: false });
    socket.receive('not json');
    socket.receive({ no: 'type' });
    socket.receive(message('c1', 3));
    expect(chat).toEqual([1, 3]);
    expect(calls).toEqual(['k1']);
    expect(acks).toEqual(['a']);

    // Both send over the same socket, in the server's frame shapes.
    expect(rt.send({ type: 'sync', consultationId: 'c1', after: 3 })).toBe(true);
    expect(rt.send({ type: 'call.ringing', callId: 'k1' })).toBe(true);
    expect(socket.sent).toEqual([
      { type: 'sync', consultationId: 'c1', after: 3 },
      { type: 'call.ringing', callId: 'k1' },
    ]);
    expect(FakeSocket.made).toHaveLength(1);
  });

  it('unsubscribing stops delivery to that subscriber only', () => {
    const { rt } = setup();
    const a: number[] = [];
    const b: number[] = [];
    const offA = rt.subscribe('message', (f) => a.push(f.message.seq));
    rt.subscribe('message', (f) => b.push(f.message.seq));
    const socket = FakeSocket.last!;
    socket.open();
    socket.receive(message('c1', 1));
    offA();
    offA(); // twice is harmless
    socket.receive(message('c1', 2));
    expect(a).toEqual([1]);
    expect(b).toEqual([1, 2]);
  });

  it('reconnects with backoff after a close, and says so to state listeners', () => {
    const { rt, states } = setup();
    FakeSocket.last!.open();
    FakeSocket.last!.drop(1006);
    expect(rt.state).toBe('offline');
    expect(rt.send({ type: 'sync', consultationId: 'c1', after: 0 })).toBe(false);

    // First retry after 250 ms, not before.
    vi.advanceTimersByTime(249);
    expect(FakeSocket.made).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.made).toHaveLength(2);
    // It fails: the next waits 1 s, then 2 s, then 5 s from then on.
    FakeSocket.last!.drop(1006);
    vi.advanceTimersByTime(999);
    expect(FakeSocket.made).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.made).toHaveLength(3);
    FakeSocket.last!.drop(1006);
    vi.advanceTimersByTime(2_000);
    expect(FakeSocket.made).toHaveLength(4);
    FakeSocket.last!.drop(1006);
    vi.advanceTimersByTime(4_999);
    expect(FakeSocket.made).toHaveLength(4);
    vi.advanceTimersByTime(1);
    expect(FakeSocket.made).toHaveLength(5);

    // Open again: the delay starts over, and subscribers keep receiving on the new socket.
    const seen: number[] = [];
    rt.subscribe('message', (f) => seen.push(f.message.seq));
    FakeSocket.last!.open();
    FakeSocket.last!.receive(message('c1', 9));
    expect(seen).toEqual([9]);
    FakeSocket.last!.drop(1001);
    vi.advanceTimersByTime(250);
    expect(FakeSocket.made).toHaveLength(6);
    expect(states.slice(0, 3)).toEqual(['connecting', 'open', 'offline']);
    expect(states.at(-1)).toBe('connecting');
    expect([0, 1, 2, 3, 4, 50].map(reconnectDelay)).toEqual([250, 1000, 2000, 5000, 5000, 5000]);
  });

  it('coming back online reconnects at once, without waiting for the backoff', () => {
    const { events, network } = setup();
    FakeSocket.last!.drop(1006);
    vi.advanceTimersByTime(250);
    FakeSocket.last!.drop(1006); // now waiting 1 s
    expect(FakeSocket.made).toHaveLength(2);
    events.dispatchEvent(new Event('online'));
    expect(FakeSocket.made).toHaveLength(3);
    events.dispatchEvent(new Event('online')); // a socket is already being opened: nothing more
    expect(FakeSocket.made).toHaveLength(3);
    FakeSocket.last!.drop(1006);
    network.dispatchEvent(new Event('change'));
    expect(FakeSocket.made).toHaveLength(4);
  });

  it('the session ending (4401) stops reconnecting and asks for the session once', () => {
    const { rt, onSessionEnded } = setup();
    FakeSocket.last!.open();
    FakeSocket.last!.drop(4401);
    expect(onSessionEnded).toHaveBeenCalledTimes(1);
    expect(rt.running).toBe(false);
    expect(rt.state).toBe('offline');
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.made).toHaveLength(1);
  });

  it('stop (sign-out) closes with 1000 and opens nothing more; a later start opens a new socket', () => {
    const { rt, events } = setup();
    const first = FakeSocket.last!;
    first.open();
    rt.stop();
    expect(first.closedWith).toBe(1000);
    expect(rt.running).toBe(false);
    expect(rt.state).toBe('offline');
    first.drop(1000); // the close event of the old socket changes nothing
    events.dispatchEvent(new Event('online'));
    vi.advanceTimersByTime(60_000);
    expect(FakeSocket.made).toHaveLength(1);
    rt.start();
    expect(FakeSocket.made).toHaveLength(2);
  });

  it('helpers: wss on https, and frames are JSON objects with a type', () => {
    expect(socketUrl({ protocol: 'https:', host: 'a.cn' })).toBe('wss://a.cn/api/ws');
    expect(socketUrl({ protocol: 'http:', host: 'localhost:5173' })).toBe('ws://localhost:5173/api/ws');
    expect(parseFrame('{"type":"ack","consultationId":"c","clientId":"a","seq":1}')).toMatchObject({ type: 'ack' });
    expect(parseFrame('not json')).toBeNull();
    expect(parseFrame('{"kind":"ack"}')).toBeNull();
    expect(parseFrame('null')).toBeNull();
    expect(parseFrame(new ArrayBuffer(2))).toBeNull();
  });
});
