/**
 * Alibaba Cloud SMS (dysmsapi 2017-05-25, action SendSms) for sign-in codes (ACC-1).
 *
 * The request is signed with the RPC-style signature V1 (HMAC-SHA1 over
 * `METHOD&%2F&percentEncode(sorted canonical query)`, key `AccessKeySecret&`). Everything that
 * builds or reads a request is a pure function so it can be checked against Alibaba's published
 * vectors; only `AliyunSmsProvider.send()` does I/O, through an injected `fetch`.
 *
 * Privacy: the phone number and the code travel only in the signed body. Error messages are built
 * from our own table, never from the provider's `Message`, because Alibaba echoes the whole
 * string-to-sign (phone number and code included) in `SignatureDoesNotMatch` replies.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { SmsDeliveryError, type SmsMessage, type SmsProvider, type SmsSendResult } from './sms-provider.js';

export const ALIYUN_SMS_ENDPOINT = 'https://dysmsapi.aliyuncs.com/';
const API_VERSION = '2017-05-25';
const DEFAULT_REGION = 'cn-hangzhou';
const DEFAULT_TIMEOUT_MS = 10_000;
const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

export interface AliyunSmsConfig {
  accessKeyId: string;
  accessKeySecret: string;
  /** The approved signature shown in 【】 at the start of the SMS. */
  signName: string;
  /** The approved template, which must take one variable `${code}`. */
  templateCode: string;
  /** Defaults to cn-hangzhou, where dysmsapi lives. */
  regionId?: string;
  /** Defaults to the public endpoint; overridable for a proxy or a test double. */
  endpoint?: string;
}

export interface AliyunSignedRequest {
  url: string;
  method: 'POST';
  headers: Record<string, string>;
  /** application/x-www-form-urlencoded, `Signature` included. */
  body: string;
}

/**
 * RFC 3986 encoding as Alibaba's RPC signature wants it: only `A-Z a-z 0-9 - _ . ~` stay as they are,
 * space → %20 (not `+`), `*` → %2A, `~` kept, UTF-8 bytes as %XY. This equals the documented
 * `URLEncoder.encode(v).replace("+", "%20").replace("*", "%2A").replace("%7E", "~")`.
 * encodeURIComponent already gives %20 and keeps `~`; it leaves `! ' ( ) *` alone, so those are added.
 */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** `key=value` pairs, both percent-encoded, sorted by key in code-point order, joined with `&`. */
export function canonicalizeQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .filter((key) => key !== 'Signature')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
    .map((key) => `${percentEncode(key)}=${percentEncode(params[key] ?? '')}`)
    .join('&');
}

export function buildStringToSign(method: 'GET' | 'POST', params: Record<string, string>): string {
  return `${method}&${percentEncode('/')}&${percentEncode(canonicalizeQuery(params))}`;
}

/** Base64(HMAC-SHA1(AccessKeySecret + '&', StringToSign)). */
export function signRpcRequest(
  method: 'GET' | 'POST',
  params: Record<string, string>,
  accessKeySecret: string,
): string {
  return createHmac('sha1', `${accessKeySecret}&`).update(buildStringToSign(method, params), 'utf8').digest('base64');
}

/** ISO 8601 in UTC without milliseconds, e.g. 2017-07-12T02:42:19Z. */
export function formatAliyunTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Builds the signed SendSms request; no I/O. Throws `SmsDeliveryError('INVALID_RECIPIENT')` for a non-mainland number. */
export function buildSendSmsRequest(
  config: AliyunSmsConfig,
  message: SmsMessage,
  signing: { nonce: string; timestamp: Date },
): AliyunSignedRequest {
  if (!MAINLAND_MOBILE.test(message.to)) {
    throw new SmsDeliveryError('INVALID_RECIPIENT', 'Aliyun SMS: recipient is not a normalised mainland mobile number');
  }
  const params: Record<string, string> = {
    AccessKeyId: config.accessKeyId,
    Action: 'SendSms',
    Format: 'JSON',
    PhoneNumbers: message.to,
    RegionId: config.regionId ?? DEFAULT_REGION,
    SignName: config.signName,
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: signing.nonce,
    SignatureVersion: '1.0',
    TemplateCode: config.templateCode,
    TemplateParam: JSON.stringify({ code: message.code }),
    Timestamp: formatAliyunTimestamp(signing.timestamp),
    Version: API_VERSION,
  };
  const signature = signRpcRequest('POST', params, config.accessKeySecret);
  return {
    url: config.endpoint ?? ALIYUN_SMS_ENDPOINT,
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: `${canonicalizeQuery(params)}&Signature=${percentEncode(signature)}`,
  };
}

/** Our own wording for the codes we expect; the provider's `Message` is never passed on (see file comment). */
const KNOWN_ERRORS: Record<string, string> = {
  'isv.BUSINESS_LIMIT_CONTROL': 'the provider rate limit for this recipient was reached',
  'isv.MOBILE_NUMBER_ILLEGAL': 'the provider rejected the recipient number',
  'isv.AMOUNT_NOT_ENOUGH': 'the account balance is too low',
  'isv.SMS_SIGNATURE_ILLEGAL': 'the sign name is not approved',
  'isv.SMS_TEMPLATE_ILLEGAL': 'the template is not approved',
  'isv.TEMPLATE_MISSING_PARAMETERS': 'the template parameters do not match the template',
  'isv.DAY_LIMIT_CONTROL': 'the daily limit was reached',
  'isp.RAM_PERMISSION_DENY': 'the access key lacks permission for SendSms',
  'isv.ACCOUNT_ABNORMAL': 'the account is abnormal',
  SignatureDoesNotMatch: 'the request signature was rejected (check the access key secret)',
  InvalidAccessKeyId: 'the access key id is unknown',
  'InvalidAccessKeyId.NotFound': 'the access key id is unknown',
  SignatureNonceUsed: 'the signature nonce was reused',
  'InvalidTimeStamp.Expired': 'the request timestamp is outside the allowed window (check the clock)',
  Throttling: 'the API was throttled',
};

/** Provider codes are short identifiers; anything else is replaced so no free text reaches logs. */
function safeCode(value: unknown): string | null {
  return typeof value === 'string' && /^[A-Za-z0-9_.]{1,64}$/.test(value) ? value : null;
}

/** Turns the HTTP status and parsed JSON of a SendSms reply into a result, or throws `SmsDeliveryError`. */
export function parseSendSmsResponse(status: number, json: unknown): SmsSendResult {
  const body = typeof json === 'object' && json !== null ? (json as Record<string, unknown>) : null;
  const code = safeCode(body?.Code);
  const requestId =
    typeof body?.RequestId === 'string' && /^[A-Za-z0-9-]{1,64}$/.test(body.RequestId) ? body.RequestId : null;
  if (status >= 200 && status < 300 && code === 'OK') {
    const bizId = body?.BizId;
    return { providerMessageId: typeof bizId === 'string' && bizId !== '' ? bizId : null };
  }
  const providerCode = code ?? (status >= 200 && status < 300 ? 'INVALID_RESPONSE' : `HTTP_${status}`);
  const reason = KNOWN_ERRORS[providerCode] ?? 'the provider did not accept the message';
  const suffix = requestId ? `, request ${requestId}` : '';
  throw new SmsDeliveryError(
    providerCode,
    `Aliyun SMS SendSms failed: ${providerCode} (${reason}; HTTP ${status}${suffix})`,
  );
}

export interface AliyunSmsDeps extends AliyunSmsConfig {
  fetch?: typeof fetch;
  now?: () => Date;
  nonce?: () => string;
  timeoutMs?: number;
}

export class AliyunSmsProvider implements SmsProvider {
  readonly id = 'aliyun';
  readonly isLocalOnly = false;
  private readonly config: AliyunSmsConfig;
  private readonly fetchFn: typeof fetch;
  private readonly now: () => Date;
  private readonly nonce: () => string;
  private readonly timeoutMs: number;

  constructor(deps: AliyunSmsDeps) {
    const { fetch: fetchFn, now, nonce, timeoutMs, ...config } = deps;
    for (const key of ['accessKeyId', 'accessKeySecret', 'signName', 'templateCode'] as const) {
      if (!config[key]) throw new Error(`AliyunSmsProvider: ${key} is required`);
    }
    this.config = config;
    // Wrapped so the global is looked up at call time and never invoked with the provider as `this`.
    this.fetchFn = fetchFn ?? ((input, init) => fetch(input, init));
    this.now = now ?? (() => new Date());
    this.nonce = nonce ?? (() => randomUUID());
    this.timeoutMs = timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async send(message: SmsMessage): Promise<SmsSendResult> {
    const request = buildSendSmsRequest(this.config, message, { nonce: this.nonce(), timestamp: this.now() });
    let response: Response;
    try {
      response = await this.fetchFn(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      // The cause's message is dropped on purpose: some fetch errors quote the request.
      const kind = error instanceof Error && error.name === 'TimeoutError' ? 'TIMEOUT' : 'NETWORK_ERROR';
      throw new SmsDeliveryError(kind, `Aliyun SMS SendSms failed: ${kind}`);
    }
    const text = await response.text().catch(() => '');
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return parseSendSmsResponse(response.status, json);
  }
}
