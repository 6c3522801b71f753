/**
 * The one contract every SMS provider implements (ACC-1: sign-in codes by SMS).
 * The identity service depends on this interface only, so the console provider used in development
 * and real carriers (Aliyun, …) are interchangeable and injected once at start-up.
 */

/** A message to send. Providers never log `to` or `code` in clear. */
export interface SmsMessage {
  /** Normalised mainland mobile, 11 digits (see `normalizeMainlandMobile`). */
  to: string;
  /** sign_in: signing in; step_up: confirming a data-rights request of a signed-in person (same template). */
  purpose: 'sign_in' | 'step_up';
  code: string;
}

export interface SmsSendResult {
  /** The provider's id for the message (for delivery reports), when it returns one. */
  providerMessageId: string | null;
}

export interface SmsProvider {
  /** Stable id, e.g. 'console' or 'aliyun'. */
  readonly id: string;
  /** True when no real SMS leaves the machine (development only). */
  readonly isLocalOnly: boolean;
  send(message: SmsMessage): Promise<SmsSendResult>;
}

/**
 * A provider refused or failed to deliver. `providerCode` is the provider's own error code (or one of
 * ours such as `NETWORK_ERROR`); the message is safe to log: it never contains the phone number or code.
 */
export class SmsDeliveryError extends Error {
  constructor(
    readonly providerCode: string,
    message: string,
  ) {
    super(message);
    this.name = 'SmsDeliveryError';
  }
}
