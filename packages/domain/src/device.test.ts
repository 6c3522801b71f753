import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeUserAgent, maskIp } from './device.js';

/** Real user-agent strings as sent by the browsers named (copied from the vendors' documentation and live traffic). */
const UA = {
  chromeAndroid:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.6367.82 Mobile Safari/537.36',
  safariIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Mobile/15E148 Safari/604.1',
  wechatAndroid:
    'Mozilla/5.0 (Linux; Android 13; V2227A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/111.0.5563.116 Mobile Safari/537.36 XWEB/1110005 MMWEBSDK/20230805 MMWEBID/7264 MicroMessenger/8.0.42.2460(0x28002A35) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64',
  wechatIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.40(0x1800282a) NetType/WIFI Language/zh_CN',
  edgeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.80',
  firefoxLinux: 'Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0',
  safariMac:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4.1 Safari/605.1.15',
  chromeIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1',
};

describe('describeUserAgent', () => {
  it('ACC-4: Chrome on Android is "Chrome 124 · Android"', () => {
    expect(describeUserAgent(UA.chromeAndroid)).toBe('Chrome 124 · Android');
  });

  it('ACC-4: Safari on an iPhone is "Safari 17 · iOS" (major version only)', () => {
    expect(describeUserAgent(UA.safariIphone)).toBe('Safari 17 · iOS');
  });

  it('ACC-4: the WeChat in-app browser is named WeChat, not the Chrome engine it embeds', () => {
    expect(describeUserAgent(UA.wechatAndroid)).toBe('WeChat 8 · Android');
    expect(describeUserAgent(UA.wechatIphone)).toBe('WeChat 8 · iOS');
  });

  it('ACC-4: Edge on Windows is named Edge, not Chrome or Safari', () => {
    expect(describeUserAgent(UA.edgeWindows)).toBe('Edge 124 · Windows');
  });

  it('ACC-4: Firefox on Linux is "Firefox 125 · Linux"', () => {
    expect(describeUserAgent(UA.firefoxLinux)).toBe('Firefox 125 · Linux');
  });

  it('ACC-4: Safari on a Mac and Chrome on an iPhone (CriOS) are recognised', () => {
    expect(describeUserAgent(UA.safariMac)).toBe('Safari 17 · macOS');
    expect(describeUserAgent(UA.chromeIphone)).toBe('Chrome 124 · iOS');
  });

  it('ACC-4: an empty or blank user agent is "Unknown device", an unrecognised one "Other browser"', () => {
    expect(describeUserAgent('')).toBe('Unknown device');
    expect(describeUserAgent('   ')).toBe('Unknown device');
    expect(describeUserAgent('curl/8.6.0')).toBe('Other browser');
  });

  it('ACC-4: the label is always one of a few short forms and never echoes the raw user agent', () => {
    const label =
      /^(?:(?:(?:WeChat|Edge|Chrome|Firefox|Safari) \d+|Browser)(?: · (?:Android|iOS|Windows|macOS|HarmonyOS|Linux))?|Unknown device|Other browser)$/;
    const uaPieces = fc.constantFrom(
      ...Object.values(UA),
      'Mozilla/5.0 ',
      '(Linux; Android 12; 张三的手机 Build/SKQ1) ',
      'Windows NT 10.0',
      'iPhone',
      'Chrome/',
      'Firefox/99',
      'Version/16.0 Safari/',
      'MicroMessenger/',
      'Edg/1',
      'HarmonyOS',
      'user@example.com',
    );
    fc.assert(
      fc.property(fc.array(fc.oneof(uaPieces, fc.string({ maxLength: 20 })), { maxLength: 6 }), (parts) => {
        const ua = parts.join('');
        const out = describeUserAgent(ua);
        expect(out).toMatch(label);
        expect(out).not.toContain('@');
        expect(out).not.toContain('张三');
      }),
      { numRuns: 500 },
    );
  });
});

describe('maskIp', () => {
  it('ACC-4: an IPv4 address keeps only its first two octets', () => {
    expect(maskIp('203.0.113.45')).toBe('203.0.*.*');
    expect(maskIp('10.1.2.3')).toBe('10.1.*.*');
  });

  it('ACC-4: every IPv4 address loses its last two octets', () => {
    const octet = fc.integer({ min: 0, max: 255 });
    fc.assert(
      fc.property(octet, octet, octet, octet, (a, b, c, d) => {
        expect(maskIp(`${a}.${b}.${c}.${d}`)).toBe(`${a}.${b}.*.*`);
      }),
    );
  });

  it('ACC-4: an IPv4-mapped IPv6 address (as Node reports IPv4 clients on a dual-stack socket) is masked as IPv4', () => {
    expect(maskIp('::ffff:203.0.113.45')).toBe('203.0.*.*');
    expect(maskIp('::ffff:192.168.31.7')).toBe('192.168.*.*');
  });

  it('ACC-4: an IPv6 address keeps only its first two groups', () => {
    expect(maskIp('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe('2001:db8:*');
    expect(maskIp('240e:3b7:3272:d8d0:db09:c067:8d59:539e')).toBe('240e:3b7:*');
    expect(maskIp('2001:db8:85a3::8a2e:370:7334')).toBe('2001:db8:*');
  });

  it('ACC-4: what cannot be recognised is fully hidden', () => {
    expect(maskIp('')).toBe('*');
    expect(maskIp('::1')).toBe('*');
    expect(maskIp('unknown')).toBe('*');
  });

  it('ACC-4: a full (uncompressed) IPv6 address never shows groups 3 to 8', () => {
    const group = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
    fc.assert(
      fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
        const masked = maskIp(groups.join(':'));
        expect(masked).toBe(`${groups[0]}:${groups[1]}:*`);
      }),
    );
  });
});

describe('maskIp never shows the device part of an address', () => {
  it.each([
    ['fe80::1ff:fe23:4567:890a', 'fe80:*'],
    ['2408::8a2e:370:7334', '2408:*'],
    ['::FFFF:203.0.113.45', '203.0.*.*'],
    ['203.0.113.45:51234', '203.0.*.*'],
    ['[2001:db8:1::7]:443', '2001:db8:*'],
    ['::1', '*'],
  ])('ACC-4: %s is shown as %s', (ip, masked) => {
    expect(maskIp(ip)).toBe(masked);
  });
});
