import type { SensitivePurpose } from '@anxin/contracts';

/**
 * Separate consent for sensitive personal data (PIPL art. 29), asked right before the feature that needs it.
 * Bump `version` whenever a text changes: earlier consents stay recorded against the text they were given for.
 */
export const SENSITIVE_CONSENTS: Record<
  SensitivePurpose,
  { version: number; zh: { title: string; text: string }; en: { title: string; text: string } }
> = {
  onboarding: {
    version: 1,
    zh: {
      title: '处理敏感个人信息的单独同意（医生入驻）',
      text: '为核验您的医生身份和执业资格，入驻申请需要处理您的居民身份证号码及证件照片、医师执业证书和资格证书的编号及照片。这些属于敏感个人信息：我们使用您专属的密钥加密保存，仅供审核人员在说明目的后查看，且每次查看都会记入审计日志；公开的医生主页不会显示这些信息。不同意不影响您使用其他功能，但将无法完成入驻。',
    },
    en: {
      title: 'Separate consent to process sensitive data (doctor onboarding)',
      text: 'To verify your identity and licence, the application needs your resident ID number and card photos, and the numbers and photos of your practice and qualification certificates. These are sensitive personal data: they are encrypted with a key of your own, shown only to reviewers who state a purpose, and every view is audited; your public profile never shows them. If you decline, everything else keeps working but you cannot finish onboarding.',
    },
  },
  consultation: {
    version: 1,
    zh: {
      title: '处理敏感个人信息的单独同意（问诊咨询）',
      text: '问诊过程中您提供的症状、病史、图片和语音属于医疗健康信息，是敏感个人信息。我们仅为向您提供诊疗咨询服务、依法保存病历及在出现心理危机时保护您的安全而处理这些信息，加密保存，只有接诊医生和经授权的人员可以查看。语音和视频问诊不会被录音录像。不同意不影响您使用其他功能，但将无法发起问诊。',
    },
    en: {
      title: 'Separate consent to process sensitive data (consultations)',
      text: 'Symptoms, history, images and voice you share in a consultation are health data, which is sensitive. We process them only to provide your consultation, keep medical records as the law requires, and protect you in a crisis. They are encrypted and seen only by your doctor and authorised staff. Voice and video calls are never recorded. If you decline, everything else keeps working but you cannot start a consultation.',
    },
  },
};
