import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, onApiError } from './api';

function reply(status: number, body: unknown, headers: Record<string, string> = {}) {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

afterEach(() => vi.unstubAllGlobals());

describe('api client', () => {
  it('sends JSON with the session cookie and the UI language', async () => {
    const fetchMock = vi.fn(async () => reply(200, { resendAfterSeconds: 60, expiresInSeconds: 300, devOutbox: true }));
    vi.stubGlobal('fetch', fetchMock);
    const answer = await api.requestCode({ phone: '13800138000', app: 'doctor' });
    expect(answer.devOutbox).toBe(true);
    const [path, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(path).toBe('/api/auth/code');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    expect(init.cache).toBe('no-store');
    expect(init.headers).toMatchObject({ 'Content-Type': 'application/json', 'Accept-Language': 'zh-CN' });
    expect(JSON.parse(String(init.body))).toEqual({ phone: '13800138000', app: 'doctor' });
  });

  it('sends no body or content type when there is nothing to send', async () => {
    const fetchMock = vi.fn(async () => reply(200, { ok: true }));
    vi.stubGlobal('fetch', fetchMock);
    await api.signOut();
    const [, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(init.body).toBeUndefined();
    expect(init.headers).not.toHaveProperty('Content-Type');
  });

  it('turns error bodies into ApiError with code, message and retry time', async () => {
    vi.stubGlobal('fetch', async () =>
      reply(429, { error: { code: 'OTP_RESEND_TOO_SOON', message: '请 42 秒后再试', retryAfterSeconds: 42 } }),
    );
    const seen: string[] = [];
    const off = onApiError((e) => seen.push(e.code));
    const error = await api.requestCode({ phone: '13800138000', app: 'doctor' }).catch((e: unknown) => e);
    off();
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 429,
      code: 'OTP_RESEND_TOO_SOON',
      message: '请 42 秒后再试',
      retryAfterSeconds: 42,
    });
    expect(seen).toEqual(['OTP_RESEND_TOO_SOON']);
  });

  it('reports a network failure as NETWORK_ERROR with status 0', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    const error = (await api.me().catch((e: unknown) => e)) as ApiError;
    expect(error.code).toBe('NETWORK_ERROR');
    expect(error.isNetwork).toBe(true);
    expect(error.message).toBe('网络异常，请检查网络连接后重试');
  });

  it('falls back to a generic message for non-API error pages', async () => {
    vi.stubGlobal('fetch', async () => new Response('<html>Bad gateway</html>', { status: 502 }));
    const error = (await api.me().catch((e: unknown) => e)) as ApiError;
    expect(error).toMatchObject({ status: 502, code: 'HTTP_502', message: '服务暂时不可用，请稍后重试' });
  });
});
