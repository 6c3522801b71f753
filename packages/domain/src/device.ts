/** A short, human label for a session's device, e.g. "Chrome 156 · Android". Never the raw user agent. */
export function describeUserAgent(ua: string): string {
  const browser =
    (/MicroMessenger\/([\d]+)/.exec(ua) && `WeChat ${/MicroMessenger\/([\d]+)/.exec(ua)![1]}`) ||
    (/Edg\/([\d]+)/.exec(ua) && `Edge ${/Edg\/([\d]+)/.exec(ua)![1]}`) ||
    (/(?:Chrome|CriOS)\/([\d]+)/.exec(ua) && `Chrome ${/(?:Chrome|CriOS)\/([\d]+)/.exec(ua)![1]}`) ||
    (/Firefox\/([\d]+)/.exec(ua) && `Firefox ${/Firefox\/([\d]+)/.exec(ua)![1]}`) ||
    (/Version\/([\d]+).*Safari/.exec(ua) && `Safari ${/Version\/([\d]+).*Safari/.exec(ua)![1]}`) ||
    null;
  const os = /Android/.test(ua)
    ? 'Android'
    : /iPhone|iPad|iPod/.test(ua)
      ? 'iOS'
      : /Windows/.test(ua)
        ? 'Windows'
        : /Mac OS X|Macintosh/.test(ua)
          ? 'macOS'
          : /HarmonyOS/.test(ua)
            ? 'HarmonyOS'
            : /Linux/.test(ua)
              ? 'Linux'
              : null;
  if (!browser && !os) return ua.trim() === '' ? 'Unknown device' : 'Other browser';
  return [browser ?? 'Browser', os].filter(Boolean).join(' · ');
}

/** `203.0.113.45` → `203.0.*.*`; IPv6 keeps the first two groups. Enough to recognise a network, not a person. */
export function maskIp(ip: string): string {
  const v4 = ip.replace(/^::ffff:/, '');
  if (/^\d+\.\d+\.\d+\.\d+$/.test(v4)) {
    const [a, b] = v4.split('.');
    return `${a}.${b}.*.*`;
  }
  const groups = ip.split(':').filter(Boolean);
  return groups.length >= 2 ? `${groups[0]}:${groups[1]}:*` : '*';
}
