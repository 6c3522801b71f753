/** For unit tests: a WebSocket stand-in to inject into `createRealtime`, driven by the test. */
import type { SocketLike } from './realtime';

export class FakeSocket implements SocketLike {
  /** Every socket made, oldest first. */
  static made: FakeSocket[] = [];
  static reset(): void {
    FakeSocket.made = [];
  }
  static get last(): FakeSocket | undefined {
    return FakeSocket.made[FakeSocket.made.length - 1];
  }

  readyState = 0;
  sent: unknown[] = [];
  closedWith: number | undefined;
  onopen: ((e: unknown) => void) | null = null;
  onmessage: ((e: { data: unknown }) => void) | null = null;
  onclose: ((e: { code: number }) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.made.push(this);
  }

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(JSON.parse(data));
  }
  close(code = 1005): void {
    this.closedWith = code;
    this.readyState = 3;
  }

  // ——— the server's side ———
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(frame: unknown): void {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
  drop(code = 1006): void {
    this.readyState = 3;
    this.onclose?.({ code });
  }
}
