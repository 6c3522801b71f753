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

/**
 * `203.0.113.45` → `203.0.*.*`; IPv6 keeps only the first two groups of the network prefix. Enough to recognise
 * a network, never the device part of the address.
 */
export function maskIp(ip: string): string {
  const lower = ip.trim().toLowerCase();
  const v4 = /^(?:::ffff:)?(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}(?::\d+)?$/.exec(lower);
  if (v4) return `${v4[1]}.${v4[2]}.*.*`;
  const bare = lower
    .replace(/^\[/, '')
    .replace(/\](?::\d+)?$/, '')
    .split('%')[0]!;
  // Only groups before a `::` are real leading groups; anything after it belongs to the end of the address.
  const head = bare
    .split('::')[0]!
    .split(':')
    .filter((g) => /^[0-9a-f]{1,4}$/.test(g));
  if (head.length >= 2) return `${head[0]}:${head[1]}:*`;
  if (head.length === 1) return `${head[0]}:*`;
  return '*';
}
