import { PUSH_PROCESSORS } from './push-recipients.js';

/**
 * Third parties that receive personal data (INV-1). The published list in the policy is generated from here.
 * `active` says whether the running configuration uses the recipient at all.
 */
export interface Processor {
  id: string;
  name: { zh: string; en: string };
  purpose: { zh: string; en: string };
  dataReceived: { zh: string; en: string };
  permissions: { zh: string; en: string };
  users: { zh: string; en: string };
  link: string;
  /** Declared but not used by this version: the policy says so next to the entry, and nothing is sent. */
  notInUse?: { zh: string; en: string };
}

export const PROCESSORS: Record<string, Processor> = {
  aliyun_sms: {
    id: 'aliyun_sms',
    name: { zh: '阿里云短信服务', en: 'Alibaba Cloud SMS' },
    purpose: { zh: '发送登录验证码短信', en: 'Sending sign-in codes by text message' },
    dataReceived: { zh: '手机号码、验证码', en: 'Mobile number, one-time code' },
    permissions: { zh: '无', en: 'None' },
    users: { zh: '使用手机号登录的所有用户', en: 'Everyone who signs in by phone' },
    link: 'https://www.aliyun.com/product/sms',
  },
  ...PUSH_PROCESSORS,
};
