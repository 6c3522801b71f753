import type { Processor } from './processors.js';

/**
 * Who receives data when we push (NOT-2, INV-1). These entries are merged into the processors list the privacy
 * policy is generated from, and the subscription check accepts only endpoints of a declared Web Push service, so
 * nobody receives anything the policy does not name.
 */

const WEB_PUSH_DATA = {
  zh: '推送令牌（浏览器生成的推送地址）；经端到端加密的通知（服务商无法读取，内容只说明事件类型，不含姓名和消息内容）。不提供设备型号、系统版本或其他设备信息',
  en: 'Push token (the push address your browser created); the notification, encrypted end to end (the provider cannot read it; it names only the kind of event, never a name or message content). No device model, OS version or other device data',
};
const WEB_PUSH_PERMISSION = {
  zh: '通知权限（仅在您开启消息通知时请求，可随时在应用或浏览器设置中关闭）',
  en: 'Notifications (asked only when you turn notifications on; can be turned off at any time in the app or the browser)',
};
const WEB_PUSH_PURPOSE = {
  zh: '把通知送达您开启了通知的浏览器（网页推送）',
  en: 'Delivering notifications to browsers where you turned them on (Web Push)',
};

interface WebPushService {
  processor: Processor;
  /** Endpoint host names: exact, or `.suffix` for any sub-domain. */
  hosts: string[];
}

/** The browser vendors' push services. Which one a subscription uses is decided by the browser, not by us. */
export const WEB_PUSH_SERVICES: WebPushService[] = [
  {
    hosts: ['fcm.googleapis.com'],
    processor: {
      id: 'webpush_google',
      name: {
        zh: 'Google Firebase 云消息（Chrome 等浏览器的推送服务）',
        en: 'Google Firebase Cloud Messaging (push service of Chrome and other browsers)',
      },
      purpose: WEB_PUSH_PURPOSE,
      dataReceived: WEB_PUSH_DATA,
      permissions: WEB_PUSH_PERMISSION,
      users: {
        zh: '在 Chrome 等浏览器中开启了通知的用户',
        en: 'People who turned notifications on in Chrome and similar browsers',
      },
      link: 'https://policies.google.com/privacy',
    },
  },
  {
    hosts: ['updates.push.services.mozilla.com', 'push.services.mozilla.com'],
    processor: {
      id: 'webpush_mozilla',
      name: { zh: 'Mozilla 推送服务（Firefox）', en: 'Mozilla Push Service (Firefox)' },
      purpose: WEB_PUSH_PURPOSE,
      dataReceived: WEB_PUSH_DATA,
      permissions: WEB_PUSH_PERMISSION,
      users: { zh: '在 Firefox 中开启了通知的用户', en: 'People who turned notifications on in Firefox' },
      link: 'https://www.mozilla.org/privacy/firefox/',
    },
  },
  {
    hosts: ['web.push.apple.com'],
    processor: {
      id: 'webpush_apple',
      name: { zh: 'Apple 推送通知服务（Safari）', en: 'Apple Push Notification service (Safari)' },
      purpose: WEB_PUSH_PURPOSE,
      dataReceived: WEB_PUSH_DATA,
      permissions: WEB_PUSH_PERMISSION,
      users: {
        zh: '在 Safari 或添加到主屏幕的安心应用中开启了通知的用户',
        en: 'People who turned notifications on in Safari or in Anxin added to the home screen',
      },
      link: 'https://www.apple.com/legal/privacy/',
    },
  },
  {
    hosts: ['.notify.windows.com'],
    processor: {
      id: 'webpush_microsoft',
      name: { zh: 'Microsoft Windows 推送通知服务（Edge）', en: 'Microsoft Windows Push Notification Services (Edge)' },
      purpose: WEB_PUSH_PURPOSE,
      dataReceived: WEB_PUSH_DATA,
      permissions: WEB_PUSH_PERMISSION,
      users: { zh: '在 Edge 中开启了通知的用户', en: 'People who turned notifications on in Edge' },
      link: 'https://privacy.microsoft.com/',
    },
  },
];

/** The declared Web Push service an endpoint URL belongs to, or null when it is none of them. */
export function webPushServiceFor(endpoint: URL): WebPushService | null {
  const host = endpoint.hostname.toLowerCase();
  return (
    WEB_PUSH_SERVICES.find((s) =>
      s.hosts.some((h) => (h.startsWith('.') ? host.endsWith(h) && host.length > h.length : host === h)),
    ) ?? null
  );
}

const VENDOR_DATA = {
  zh: '推送令牌（push token）、设备型号、操作系统版本；通知只说明事件类型，不含姓名和消息内容',
  en: 'Push token, device model, operating system version; the notification names only the kind of event, never a name or message content',
};
const VENDOR_NOT_IN_USE = {
  zh: '本版本未启用：安心目前只提供网页版，不会向该服务商发送任何信息；启用前我们会更新本政策并通知您',
  en: 'Not used by this version: Anxin is web-only for now and sends this provider nothing; we will update this policy and tell you before it is used',
};

function vendor(id: string, zh: string, en: string, link: string): Processor {
  return {
    id,
    name: { zh, en },
    purpose: {
      zh: '把通知送达安装了安心手机应用的该品牌手机（厂商推送通道）',
      en: 'Delivering notifications to phones of this brand running the Anxin app (vendor push channel)',
    },
    dataReceived: VENDOR_DATA,
    permissions: { zh: '通知权限', en: 'Notifications' },
    users: {
      zh: '使用该品牌手机并开启了通知的用户',
      en: 'People with a phone of this brand who turned notifications on',
    },
    link,
    notInUse: VENDOR_NOT_IN_USE,
  };
}

/**
 * Phone vendors' push channels for a future native app. Declared with exactly what each would receive; their
 * channels (channels.ts) are not implemented and cannot be selected, and the policy says they are not in use.
 */
export const VENDOR_PROCESSORS = {
  huawei: vendor(
    'push_huawei',
    '华为推送服务（HUAWEI Push Kit）',
    'HUAWEI Push Kit',
    'https://developer.huawei.com/consumer/cn/',
  ),
  xiaomi: vendor('push_xiaomi', '小米推送服务', 'Xiaomi Push', 'https://dev.mi.com/'),
  vivo: vendor('push_vivo', 'vivo 推送服务', 'vivo Push', 'https://dev.vivo.com.cn/'),
  oppo: vendor('push_oppo', 'OPPO 推送服务', 'OPPO Push', 'https://open.oppomobile.com/'),
  umeng: vendor('push_umeng', '友盟+ U-Push 推送服务', 'Umeng U-Push', 'https://www.umeng.com/'),
} as const;

export const PUSH_PROCESSORS: Record<string, Processor> = Object.fromEntries(
  [...WEB_PUSH_SERVICES.map((s) => s.processor), ...Object.values(VENDOR_PROCESSORS)].map((p) => [p.id, p]),
);
