import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

/** A made-up working directory: loadConfig only resolves paths against it, it never touches the disk. */
const CWD = path.resolve('/srv/anxin');
const ALIYUN = {
  ANXIN_ALIYUN_ACCESS_KEY_ID: 'LTAI-id',
  ANXIN_ALIYUN_ACCESS_KEY_SECRET: 'secret',
  ANXIN_ALIYUN_SMS_SIGN: '安心',
  ANXIN_ALIYUN_SMS_TEMPLATE: 'SMS_123',
};

/** Run loadConfig and return the ConfigError it throws (failing the test if it throws nothing or something else). */
function configError(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env, CWD);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('SEC-1: an empty environment gives the development defaults: port 3000, ./data, console SMS', () => {
    const config = loadConfig({}, CWD);
    expect(config.nodeEnv).toBe('development');
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.dataDir).toBe(path.join(CWD, 'data'));
    expect(config.smsProvider).toBe('console');
    expect(config.aliyun).toBeNull();
    expect(config.databaseUrl).toBeNull();
    expect(config.masterKey).toBeNull();
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.webDistDir).toBe(path.join(CWD, 'apps', 'web', 'dist'));
  });

  it('SEC-1: paths are resolved against the given cwd; an absolute ANXIN_DATA_DIR is kept', () => {
    expect(loadConfig({ ANXIN_DATA_DIR: 'var/anxin' }, CWD).dataDir).toBe(path.join(CWD, 'var', 'anxin'));
    expect(loadConfig({ ANXIN_DATA_DIR: '/data/anxin' }, CWD).dataDir).toBe(path.resolve('/data/anxin'));
    expect(loadConfig({}, path.resolve('/elsewhere')).dataDir).toBe(path.resolve('/elsewhere/data'));
  });

  it('SEC-1: PORT is read, and the default public URL follows it; trailing slashes are removed from ANXIN_PUBLIC_URL', () => {
    expect(loadConfig({ PORT: '8080' }, CWD)).toMatchObject({ port: 8080, publicUrl: 'http://localhost:8080' });
    expect(loadConfig({ ANXIN_PUBLIC_URL: 'https://anxin.example.cn//' }, CWD).publicUrl).toBe(
      'https://anxin.example.cn',
    );
  });

  it('ACC-1: NODE_ENV=production with the console SMS provider is refused, naming ANXIN_SMS_PROVIDER', () => {
    const e = configError({ NODE_ENV: 'production' });
    expect(e.message).toContain('ANXIN_SMS_PROVIDER');
    expect(configError({ NODE_ENV: 'production', ANXIN_SMS_PROVIDER: 'console' }).message).toContain(
      'ANXIN_SMS_PROVIDER',
    );
  });

  it('ACC-1: production with Aliyun SMS and all its settings loads', () => {
    const config = loadConfig({ NODE_ENV: 'production', ANXIN_SMS_PROVIDER: 'aliyun', ...ALIYUN }, CWD);
    expect(config.nodeEnv).toBe('production');
    expect(config.smsProvider).toBe('aliyun');
    expect(config.aliyun).toEqual({
      accessKeyId: 'LTAI-id',
      accessKeySecret: 'secret',
      signName: '安心',
      templateCode: 'SMS_123',
    });
  });

  it('ACC-1: Aliyun SMS without its settings is refused, naming every missing variable and only those', () => {
    const none = configError({ ANXIN_SMS_PROVIDER: 'aliyun' }).message;
    for (const name of Object.keys(ALIYUN)) expect(none).toContain(name);

    for (const missing of Object.keys(ALIYUN)) {
      const env: NodeJS.ProcessEnv = { ANXIN_SMS_PROVIDER: 'aliyun', ...ALIYUN, [missing]: '' };
      const message = configError(env).message;
      expect(message).toContain(missing);
      for (const present of Object.keys(ALIYUN).filter((n) => n !== missing)) expect(message).not.toContain(present);
    }
  });

  it('ACC-1: an unknown SMS provider is refused, naming ANXIN_SMS_PROVIDER', () => {
    expect(configError({ ANXIN_SMS_PROVIDER: 'twilio' }).message).toMatch(/ANXIN_SMS_PROVIDER.*twilio/);
  });

  it.each(['abc', '0', '-1', '3.5', ' '])('SEC-1: PORT=%j is refused, naming PORT', (port) => {
    expect(configError({ PORT: port, ANXIN_PUBLIC_URL: 'https://anxin.example.cn' }).message).toContain('PORT');
  });

  it('ACC-4: bad session durations are refused, naming the variable', () => {
    expect(configError({ ANXIN_SESSION_IDLE_MINUTES: 'soon' }).message).toContain('ANXIN_SESSION_IDLE_MINUTES');
    expect(configError({ ANXIN_STAFF_SESSION_ABSOLUTE_HOURS: '0' }).message).toContain(
      'ANXIN_STAFF_SESSION_ABSOLUTE_HOURS',
    );
  });

  it.each(['not a url', 'anxin.example.cn', '/relative/path', 'https://'])(
    'SEC-1: ANXIN_PUBLIC_URL=%j is refused, naming ANXIN_PUBLIC_URL',
    (url) => {
      expect(configError({ ANXIN_PUBLIC_URL: url }).message).toContain('ANXIN_PUBLIC_URL');
    },
  );

  it('POL-3: the operator contact details come from the environment (with a placeholder by default)', () => {
    const config = loadConfig(
      { ANXIN_OPERATOR_NAME: '某医院', ANXIN_OPERATOR_HOTLINE: '400-1', ANXIN_OPERATOR_EMAIL: 'a@b.cn' },
      CWD,
    );
    expect(config.operator).toEqual({ name: '某医院', hotline: '400-1', email: 'a@b.cn' });
    expect(loadConfig({}, CWD).operator.hotline).not.toBe('');
  });
});

describe('public URL and port are checked strictly', () => {
  it.each([['anxin.example.cn:8443'], ['localhost:3000'], ['javascript:alert(1)'], ['ftp://anxin.example.cn']])(
    'SEC-1: ANXIN_PUBLIC_URL=%s is refused (its origin could not be checked against requests)',
    (url) => {
      expect(() => loadConfig({ ANXIN_PUBLIC_URL: url }, '/srv')).toThrow(/http\(s\) URL/);
    },
  );
  it.each([['70000'], ['1e3'], ['0x10']])('SEC-1: PORT=%s is refused', (port) => {
    expect(() => loadConfig({ PORT: port }, '/srv')).toThrow(ConfigError);
  });
});
