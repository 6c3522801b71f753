/** Why we process personal data (INV-2). Labels are shown in the generated policy. */
export const PURPOSES = {
  service: { zh: '提供在线诊疗与咨询服务', en: 'Providing online consultations' },
  account: { zh: '创建和保护您的账号（网络实名制）', en: 'Creating and securing your account (real-name rule)' },
  identity_verification: { zh: '身份核验', en: 'Identity verification' },
  regulatory_reporting: { zh: '依法向主管部门报告', en: 'Reporting to regulators as the law requires' },
  support: { zh: '客户服务', en: 'Customer support' },
  security: { zh: '安全防范、诈骗监测与故障处置', en: 'Security, fraud detection and fault handling' },
  crisis_handling: { zh: '心理危机处置', en: 'Handling psychological crises' },
  archiving: { zh: '存档与备份', en: 'Archiving and backup' },
  consent_records: { zh: '记录您的同意', en: 'Keeping a record of your consent' },
  audit: { zh: '审计与问责', en: 'Audit and accountability' },
  rights_requests: {
    zh: '处理您关于个人信息的请求（查阅复制、更正、删除、注销、解释说明）',
    en: 'Handling your requests about your data (copy, correction, erasure, cancellation, explanation)',
  },
  notifications: {
    zh: '向您开启了通知的设备发送通知',
    en: 'Sending notifications to devices where you turned them on',
  },
} as const;
export type Purpose = keyof typeof PURPOSES;

/** Legal bases under the PIPL (art. 13): consent, or one of the cases that need none. */
export const LEGAL_BASES = {
  consent: { zh: '您的同意', en: 'Your consent' },
  separate_consent: { zh: '您的单独同意（敏感个人信息）', en: 'Your separate consent (sensitive data)' },
  contract: { zh: '订立和履行您作为一方的合同所必需', en: 'Necessary for a contract with you' },
  legal_obligation: { zh: '履行法定职责或法定义务所必需', en: 'Necessary to meet a legal obligation' },
  vital_interests: {
    zh: '为应对突发公共卫生事件或紧急情况下保护生命健康和财产安全所必需',
    en: 'Necessary to protect life, health or property in an emergency',
  },
  security: { zh: '维护服务安全稳定运行所必需', en: 'Necessary to keep the service secure and running' },
} as const;
export type LegalBasis = keyof typeof LEGAL_BASES;

/** How long a category is kept (SEC-2). Each rule names the job or event that ends it. */
export const RETENTION = {
  account_lifetime: { zh: '账号存续期间；注销后删除', en: 'While the account exists; erased on cancellation' },
  otp_24h: { zh: '24 小时后自动删除', en: 'Deleted automatically after 24 hours' },
  consent_account_plus_3y: {
    zh: '账号存续期间及其后 3 年（用于证明已获同意）',
    en: 'While the account exists and 3 years after (proof of consent)',
  },
  network_logs_6m: { zh: '至少 6 个月（《网络安全法》）', en: 'At least 6 months (Cybersecurity Law)' },
  policy_forever: { zh: '永久保存（历史版本公开可查）', en: 'Kept permanently (public history)' },
  medical_record: {
    zh: '按互联网诊疗病历保存要求保存（不少于 15 年），期满后删除',
    en: 'Kept as internet-consultation medical records must be (at least 15 years), then deleted',
  },
  rights_request_3y: {
    zh: '请求办结后 3 年（证明我们已依法答复），其中您填写的内容随您的密钥一并销毁',
    en: '3 years after the request closed (proof that we answered); what you wrote is destroyed with your key',
  },
  legal_hold: {
    zh: '注销后依法留存至期限届满（网络日志至少 6 个月），期满自动销毁',
    en: 'After cancellation, only until the legal period ends (network logs at least 6 months), then destroyed',
  },
  key_until_erasure: { zh: '直到数据主体的数据被删除', en: 'Until the person’s data is erased' },
  push_until_off: {
    zh: '关闭通知、退出该设备的登录或推送服务告知地址失效时立即删除',
    en: 'Deleted as soon as you turn notifications off, sign out on that device, or the push service reports it gone',
  },
} as const;
export type Retention = keyof typeof RETENTION;
