import { createHmac } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import {
  AliyunSmsProvider,
  buildSendSmsRequest,
  buildStringToSign,
  canonicalizeQuery,
  formatAliyunTimestamp,
  parseSendSmsResponse,
  percentEncode,
  signRpcRequest,
  type AliyunSmsConfig,
} from './aliyun-sms.js';
import { SmsDeliveryError, type SmsMessage } from './sms-provider.js';

const config: AliyunSmsConfig = {
  accessKeyId: 'LTAI-test-id',
  accessKeySecret: 'test-secret',
  signName: '安心',
  templateCode: 'SMS_123456789',
};
const message: SmsMessage = { to: '13800138000', purpose: 'sign_in', code: '482915' };
const signing = { nonce: '6a1f0c2e-9d4b-4c1e-8f00-1b2c3d4e5f60', timestamp: new Date('2025-03-04T05:06:07.890Z') };

/** Form body → plain object (URLSearchParams decodes %XY and `+`, which our body never uses). */
function formFields(body: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(body));
}

/**
 * An independent encoder for the tests, written from the documented rule (keep A-Z a-z 0-9 - _ . ~,
 * every other UTF-8 byte as %XY in upper case) rather than from encodeURIComponent.
 */
function referenceEncode(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

describe('Aliyun RPC v1 signature', () => {
  // Published vector from the Alibaba Cloud SMS documentation ("签名机制" for dysmsapi, document 56189),
  // also quoted verbatim by several SDKs' tests: AccessKeyId testId, AccessKeySecret testSecret,
  // SendSms to 15300000001, SignName 阿里云短信测试专用, GET. Expected signature zJDF+Lrzhj/ThnlvIToysFRq6t4=.
  const smsDocParams: Record<string, string> = {
    AccessKeyId: 'testId',
    Action: 'SendSms',
    Format: 'XML',
    OutId: '123',
    PhoneNumbers: '15300000001',
    RegionId: 'cn-hangzhou',
    SignName: '阿里云短信测试专用',
    SignatureMethod: 'HMAC-SHA1',
    SignatureNonce: '45e25e9b-0a6f-4070-8c85-2956eda1b466',
    SignatureVersion: '1.0',
    TemplateCode: 'SMS_71390007',
    TemplateParam: '{"customer":"test"}',
    Timestamp: '2017-07-12T02:42:19Z',
    Version: '2017-05-25',
  };
  const smsDocStringToSign =
    'GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001' +
    '%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1' +
    '%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1' +
    '%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007' +
    '%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z' +
    '%26Version%3D2017-05-25';

  it('ACC-1: Aliyun SendSms request is signed per the RPC v1 scheme (published SMS doc vector)', () => {
    expect(buildStringToSign('GET', smsDocParams)).toBe(smsDocStringToSign);
    expect(signRpcRequest('GET', smsDocParams, 'testSecret')).toBe('zJDF+Lrzhj/ThnlvIToysFRq6t4=');
  });

  it('ACC-1: Aliyun RPC v1 signature matches the published DescribeRegions vector (testid/testsecret)', () => {
    // The generic RPC "signature mechanism" page: ECS DescribeRegions, AccessKeySecret testsecret,
    // expected CT9X0VtwR86fNWSnsc6v8YGOjuE=. (That page spells the parameter "TimeStamp".)
    const params = {
      TimeStamp: '2016-02-23T12:46:24Z',
      Format: 'XML',
      AccessKeyId: 'testid',
      Action: 'DescribeRegions',
      SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf',
      Version: '2014-05-26',
      SignatureVersion: '1.0',
    };
    expect(signRpcRequest('GET', params, 'testsecret')).toBe('CT9X0VtwR86fNWSnsc6v8YGOjuE=');
    expect(signRpcRequest('GET', params, 'testsecreT')).not.toBe('CT9X0VtwR86fNWSnsc6v8YGOjuE=');
  });

  it('ACC-1: Aliyun percent-encoding turns space into %20, * into %2A, keeps ~ and encodes UTF-8', () => {
    expect(percentEncode('a b')).toBe('a%20b');
    expect(percentEncode('a+b')).toBe('a%2Bb');
    expect(percentEncode('*')).toBe('%2A');
    expect(percentEncode('~-_.')).toBe('~-_.');
    expect(percentEncode("!'()")).toBe('%21%27%28%29');
    expect(percentEncode('/=&:')).toBe('%2F%3D%26%3A');
    expect(percentEncode('安心')).toBe('%E5%AE%89%E5%BF%83');
    const sample = "x y*z~!'()/安+";
    expect(percentEncode(sample)).toBe(referenceEncode(sample));
  });

  it('ACC-1: Aliyun canonical query sorts parameters by name and leaves out Signature', () => {
    expect(canonicalizeQuery({ b: '2', Signature: 'zzz', a: '1 1', B: '3', Ab: 'x' })).toBe('Ab=x&B=3&a=1%201&b=2');
  });

  it('ACC-1: Aliyun timestamps are ISO 8601 UTC without milliseconds', () => {
    expect(formatAliyunTimestamp(new Date('2025-03-04T05:06:07.890Z'))).toBe('2025-03-04T05:06:07Z');
  });
});

describe('buildSendSmsRequest', () => {
  it('ACC-1: Aliyun SendSms request carries the documented parameters and TemplateParam JSON', () => {
    const request = buildSendSmsRequest(config, message, signing);
    expect(request.url).toBe('https://dysmsapi.aliyuncs.com/');
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const fields = formFields(request.body);
    expect(fields).toMatchObject({
      AccessKeyId: 'LTAI-test-id',
      Action: 'SendSms',
      Version: '2017-05-25',
      Format: 'JSON',
      SignatureMethod: 'HMAC-SHA1',
      SignatureVersion: '1.0',
      SignatureNonce: signing.nonce,
      Timestamp: '2025-03-04T05:06:07Z',
      PhoneNumbers: '13800138000',
      SignName: '安心',
      TemplateCode: 'SMS_123456789',
    });
    expect(JSON.parse(fields.TemplateParam ?? 'null')).toEqual({ code: '482915' });
    expect(fields.TemplateParam).toBe('{"code":"482915"}');
  });

  it('ACC-1: Aliyun SendSms body lists parameters sorted and percent-encoded, Signature last', () => {
    const { body } = buildSendSmsRequest(config, message, signing);
    const pairs = body.split('&');
    const names = pairs.map((pair) => pair.split('=')[0] ?? '');
    expect(names.at(-1)).toBe('Signature');
    const signed = names.slice(0, -1);
    expect(signed).toEqual([...signed].sort());
    expect(body).toContain('TemplateParam=%7B%22code%22%3A%22482915%22%7D');
    expect(body).toContain('Timestamp=2025-03-04T05%3A06%3A07Z');
    expect(body).not.toContain('+');
  });

  it('ACC-1: Aliyun SendSms POST signature verifies with an independent HMAC-SHA1 computation', () => {
    const { body } = buildSendSmsRequest(config, message, signing);
    const fields = formFields(body);
    const { Signature: signature, ...rest } = fields;
    // Recomputed here from the documented algorithm with the test's own encoder, not the code under test.
    const canonical = Object.keys(rest)
      .sort()
      .map((key) => `${referenceEncode(key)}=${referenceEncode(rest[key] ?? '')}`)
      .join('&');
    const stringToSign = `POST&%2F&${referenceEncode(canonical)}`;
    const expected = createHmac('sha1', 'test-secret&').update(stringToSign).digest('base64');
    expect(signature).toBe(expected);
  });

  it('ACC-1: Aliyun SendSms refuses a number that is not a normalised mainland mobile, without echoing it', () => {
    const attempt = () => buildSendSmsRequest(config, { ...message, to: '+8613800138000' }, signing);
    expect(attempt).toThrow(SmsDeliveryError);
    expect(attempt).toThrow(expect.objectContaining({ providerCode: 'INVALID_RECIPIENT' }));
    try {
      attempt();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('13800138000');
    }
  });
});

describe('parseSendSmsResponse', () => {
  it('ACC-1: Aliyun SendSms reply with Code OK yields the BizId as message id', () => {
    const reply = {
      Message: 'OK',
      RequestId: 'F655A8D5-B967-440B-8683-DAD6FF8DE990',
      BizId: '900619746936498440^0',
      Code: 'OK',
    };
    expect(parseSendSmsResponse(200, reply)).toEqual({ providerMessageId: '900619746936498440^0' });
    expect(parseSendSmsResponse(200, { Code: 'OK' })).toEqual({ providerMessageId: null });
  });

  it.each([
    ['isv.BUSINESS_LIMIT_CONTROL', 200],
    ['isv.MOBILE_NUMBER_ILLEGAL', 200],
    ['SignatureDoesNotMatch', 400],
  ])('ACC-1: Aliyun SendSms error %s throws SmsDeliveryError with that provider code', (code, status) => {
    expect(() => parseSendSmsResponse(status, { Code: code, Message: 'x', RequestId: 'R-1' })).toThrow(
      expect.objectContaining({ name: 'SmsDeliveryError', providerCode: code }),
    );
  });

  it('ACC-1: Aliyun SendSms errors never repeat the phone number or the code from the provider message', () => {
    // Alibaba echoes the string-to-sign (with phone and code) in SignatureDoesNotMatch replies.
    const reply = {
      Code: 'SignatureDoesNotMatch',
      Message:
        'Specified signature is not matched with our calculation. server string to sign is:POST&%2F&PhoneNumbers%3D13800138000%26TemplateParam%3D%257B%2522code%2522%253A%2522482915%2522%257D',
      RequestId: 'R-2',
    };
    let caught: unknown;
    try {
      parseSendSmsResponse(400, reply);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(SmsDeliveryError);
    const text = `${(caught as Error).message} ${JSON.stringify(caught)}`;
    expect(text).not.toContain('13800138000');
    expect(text).not.toContain('482915');
    expect((caught as Error).message).toContain('SignatureDoesNotMatch');
  });

  it('ACC-1: Aliyun SendSms reply without a usable body maps to HTTP_<status> or INVALID_RESPONSE', () => {
    expect(() => parseSendSmsResponse(502, null)).toThrow(expect.objectContaining({ providerCode: 'HTTP_502' }));
    expect(() => parseSendSmsResponse(200, { Code: 'free text with 13800138000' })).toThrow(
      expect.objectContaining({ providerCode: 'INVALID_RESPONSE' }),
    );
  });
});

describe('AliyunSmsProvider', () => {
  it('ACC-1: Aliyun provider send() calls the injected fetch with the built request', async () => {
    const fetchMock = vi.fn<typeof fetch>(
      async () => new Response(JSON.stringify({ Code: 'OK', BizId: 'biz-1', RequestId: 'R-3', Message: 'OK' })),
    );
    const provider = new AliyunSmsProvider({
      ...config,
      fetch: fetchMock,
      now: () => signing.timestamp,
      nonce: () => signing.nonce,
    });
    expect(provider.id).toBe('aliyun');
    expect(provider.isLocalOnly).toBe(false);

    await expect(provider.send(message)).resolves.toEqual({ providerMessageId: 'biz-1' });

    const expected = buildSendSmsRequest(config, message, signing);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0] ?? [];
    expect(url).toBe(expected.url);
    expect(init?.method).toBe('POST');
    expect(init?.headers).toEqual(expected.headers);
    expect(init?.body).toBe(expected.body);
  });

  it('ACC-1: Aliyun provider send() surfaces a provider error code and a network failure as SmsDeliveryError', async () => {
    const limited = new AliyunSmsProvider({
      ...config,
      fetch: async () =>
        new Response(
          JSON.stringify({ Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发分钟级流控', RequestId: 'R-4' }),
        ),
    });
    await expect(limited.send(message)).rejects.toMatchObject({ providerCode: 'isv.BUSINESS_LIMIT_CONTROL' });

    const offline = new AliyunSmsProvider({
      ...config,
      fetch: async () => {
        throw new TypeError('fetch failed for body PhoneNumbers=13800138000');
      },
    });
    const error = await offline.send(message).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SmsDeliveryError);
    expect(error).toMatchObject({ providerCode: 'NETWORK_ERROR' });
    expect((error as Error).message).not.toContain('13800138000');
  });
});
