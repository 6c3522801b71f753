import crypto from 'node:crypto';
import { maskPhone } from '@anxin/domain';
import type { SmsMessage, SmsProvider, SmsSendResult } from './sms-provider.js';

export interface OutboxEntry {
  id: string;
  to: string;
  text: string;
  sentAt: Date;
}

/**
 * Local provider for development, honestly labelled: nothing is sent. The code is written to the server log
 * (with the number masked) and kept in memory for the staff-only dev outbox for 15 minutes, never in the database.
 * Refused when NODE_ENV=production (see config.ts).
 */
export class ConsoleSmsProvider implements SmsProvider {
  readonly id = 'console';
  readonly isLocalOnly = true;
  private readonly entries: OutboxEntry[] = [];

  constructor(
    private readonly log: (line: string) => void,
    private readonly now: () => Date = () => new Date(),
    private readonly keepMs = 15 * 60_000,
  ) {}

  async send(message: SmsMessage): Promise<SmsSendResult> {
    const text = `【安心】您的登录验证码是 ${message.code}，5 分钟内有效。如非本人操作请忽略。`;
    const entry = { id: crypto.randomUUID(), to: message.to, text, sentAt: this.now() };
    this.entries.unshift(entry);
    this.entries.splice(50);
    this.log(`[dev SMS, not sent] to ${maskPhone(message.to)}: sign-in code ${message.code}`);
    return { providerMessageId: entry.id };
  }

  outbox(): OutboxEntry[] {
    const cutoff = this.now().getTime() - this.keepMs;
    return this.entries.filter((e) => e.sentAt.getTime() >= cutoff);
  }

  /** Latest code sent to a number (tests and local journeys). */
  latestCodeFor(phone: string): string | null {
    const entry = this.outbox().find((e) => e.to === phone);
    return entry ? (/\d{6}/.exec(entry.text)?.[0] ?? null) : null;
  }
}
