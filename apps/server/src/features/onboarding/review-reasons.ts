/** Reason templates for review decisions (ONB-4): a decision always carries one, plus the reviewer's own words. */
export const REVIEW_REASONS = [
  {
    code: 'verified',
    decision: 'approve',
    label: { zh: '资质核验通过', en: 'Credentials verified' },
    suggestedText: {
      zh: '您的身份和执业资质已核验通过，欢迎加入安心。',
      en: 'Your identity and credentials are verified. Welcome to Anxin.',
    },
  },
  {
    code: 'photo_unclear',
    decision: 'request_changes',
    label: { zh: '证件照片不清晰', en: 'Document photo unclear' },
    suggestedText: {
      zh: '部分证件照片无法看清文字，请在光线充足处重新拍摄后提交。',
      en: 'Some document photos cannot be read. Please retake them in good light and resubmit.',
    },
  },
  {
    code: 'info_mismatch',
    decision: 'request_changes',
    label: { zh: '信息与证件不一致', en: 'Details do not match the documents' },
    suggestedText: {
      zh: '填写的信息与证件照片不一致，请核对后修改。',
      en: 'The details you entered do not match the documents. Please check and correct them.',
    },
  },
  {
    code: 'missing_document',
    decision: 'request_changes',
    label: { zh: '缺少证明材料', en: 'Missing document' },
    suggestedText: { zh: '请补充上传所需的证明材料。', en: 'Please upload the missing supporting document.' },
  },
  {
    code: 'other_changes',
    decision: 'request_changes',
    label: { zh: '其他需修改事项', en: 'Other changes needed' },
    suggestedText: { zh: '请根据以下说明修改后重新提交：', en: 'Please make the following changes and resubmit:' },
  },
  {
    code: 'not_qualified',
    decision: 'reject',
    label: { zh: '不符合执业资质要求', en: 'Does not meet licensing requirements' },
    suggestedText: {
      zh: '根据提交的材料，暂不符合在平台执业的资质要求。',
      en: 'Based on the documents provided, the licensing requirements for practising here are not met.',
    },
  },
  {
    code: 'invalid_documents',
    decision: 'reject',
    label: { zh: '证件无法核验', en: 'Documents could not be verified' },
    suggestedText: {
      zh: '提交的证件无法通过核验。如有疑问请联系客服。',
      en: 'The documents could not be verified. Please contact support if you have questions.',
    },
  },
  {
    code: 'duplicate_account',
    decision: 'reject',
    label: { zh: '重复账号', en: 'Duplicate account' },
    suggestedText: {
      zh: '该身份已有其他账号入驻，请使用原账号登录或联系客服。',
      en: 'This identity already has an account here. Please use it or contact support.',
    },
  },
] as const;

export type ReviewDecision = (typeof REVIEW_REASONS)[number]['decision'];

export function reasonLabel(code: string): { zh: string; en: string } | null {
  const r = REVIEW_REASONS.find((x) => x.code === code);
  return r ? { zh: r.label.zh, en: r.label.en } : null;
}
