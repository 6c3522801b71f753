/**
 * The result of a form rule, shared by the server and the web app so both show the same words.
 * `code` is stable (tests, logs and API responses use it); `zh` and `en` are the copy shown to the user.
 * Messages never repeat the value that was checked (an ID number, a certificate number): they end up in logs.
 */
export interface RuleMessage {
  code: string;
  zh: string;
  en: string;
}

export type RuleResult<T> = { ok: true; value: T } | { ok: false; error: RuleMessage };

/** Builds a success result. */
export function ruleOk<T>(value: T): RuleResult<T> {
  return { ok: true, value };
}

/** Builds a failure result from a message (the message object is copied, so callers cannot mutate the table). */
export function ruleFail<T = never>(error: RuleMessage): RuleResult<T> {
  return { ok: false, error: { ...error } };
}
