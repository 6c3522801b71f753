import type { OperatorInfo } from './policy-text.js';

/**
 * The user agreement (《用户协议》): the terms between the operator and the doctors and patients who use the service.
 * Written by hand, unlike the policy (which is generated from the inventory). Changing the text means a new version
 * with an effective date at least 7 days after it is announced in the apps (section 9).
 */
export const TERMS = { version: 1, effectiveAt: '2026-12-02T00:00:00Z' } as const;

export interface TermsDraft {
  zh: { title: string; summary: string; text: string };
  en: { title: string; summary: string; text: string };
}

export function generateTerms(operator: OperatorInfo): TermsDraft {
  const zh = [
    `# 安心用户协议`,
    `本协议是您与${operator.name}（以下称“我们”）之间关于使用安心医生端和患者端的约定。请您在登录前阅读；同意后即可使用。`,
    `## 一、服务内容`,
    `安心是互联网心理诊疗和心理咨询平台。经我们审核、依法执业的精神科医生、心理治疗师和心理咨询师（以下统称“医生”）通过图文、语音和视频为患者提供线上服务。我们负责审核医生资质并提供技术服务；诊疗和咨询意见由医生本人独立作出。`,
    `## 二、本服务不是急救服务`,
    `如果您或他人有生命危险，或正在、即将伤害自己或他人，请立即拨打 **120**（急救）或 **110**（报警），也可以拨打 **12356** 心理援助热线，或前往最近的医院急诊。线上消息可能无法被及时看到，不能代替紧急救助。`,
    `## 三、账号与实名`,
    `- 您使用本人实名登记的中国大陆手机号注册和登录（网络实名制要求）；首次验证成功即创建账号。`,
    `- 一个手机号对应一个医生账号或一个患者账号。请勿出借、转让账号或与他人共用。`,
    `- 在公用或他人的设备上，请关闭“保持登录”，用完后退出。发现不认识的登录设备，请在“我的 › 登录设备”中将其退出，并联系我们。`,
    `## 四、医生的义务`,
    `- 如实提交身份和执业资质；执业状态变化（注销、暂停、变更执业机构等）时及时更新，只在执业范围内提供服务。`,
    `- 线上诊疗只用于复诊：患者须已在实体医疗机构就诊并有明确诊断，首诊请引导患者线下就医；心理咨询以“咨询”名义提供，不作诊断、不开处方。`,
    `- 对患者的身份和咨询内容保密，不在平台以外保存或传播，不私下联系患者或进行平台以外的交易；法律规定必须披露的情形除外。`,
    `- 发现自伤、自杀或伤害他人的风险时，按平台的危机处理流程应对。`,
    `## 五、患者的义务`,
    `- 如实描述您的情况、既往就诊和用药情况；申请复诊时提供真实的就诊信息。`,
    `- 尊重医生，不辱骂、骚扰，不要求医生违反执业规范（例如在没有诊断的情况下开药）。`,
    `- 线上建议不能代替必要的线下检查和治疗；情况加重时请及时到医院就诊。未满 18 周岁的，请在监护人同意和陪同下使用。`,
    `## 六、禁止的行为`,
    `- 冒用他人身份或资质，提交虚假材料；`,
    `- 发布违法、色情、暴力、歧视或侵害他人权益的内容；`,
    `- 未经对方同意录音、录像或截图，或传播咨询内容；`,
    `- 利用平台推销药品、发布广告，或进行与服务无关的交易；`,
    `- 攻击、干扰平台运行，批量抓取数据，或绕过安全措施。`,
    `违反上述规定的，我们可以删除相关内容、限制部分功能或终止服务，并依法向主管部门报告。`,
    `## 七、责任的界限`,
    `- 我们负责审核医生资质、保障平台安全稳定运行，并按《隐私政策》保护您的个人信息；因我们的过错给您造成损失的，依法承担责任。`,
    `- 诊疗和咨询意见由医生独立作出，相应的专业责任由医生及其执业机构依法承担；我们不对医生的专业判断作任何保证。`,
    `- 因不可抗力、通信故障或第三方原因导致服务中断的，我们会尽快恢复并告知您；对由此产生的间接损失不承担责任，法律另有规定的除外。`,
    `## 八、终止与注销`,
    `- 您可以随时停止使用，也可以联系我们注销账号。注销前请先结束进行中的咨询；注销后，我们按《隐私政策》删除或匿名化您的个人信息，法律法规要求保存的记录保存至规定期限届满。`,
    `- 您严重违反本协议的，我们可以暂停或终止您的账号，并告知理由；您可以通过下方联系方式申诉。`,
    `## 九、协议的变更`,
    `本协议更新时，我们会提前在应用内公告，新版本在公告 7 日后生效。您不同意新版本的，可以停止使用并注销账号。`,
    `## 十、适用法律与争议解决`,
    `本协议适用中华人民共和国法律。发生争议的，双方先友好协商；协商不成的，可以向运营方所在地有管辖权的人民法院提起诉讼。`,
    `## 十一、联系我们`,
    `${operator.name}；客服热线：${operator.hotline}；电子邮箱：${operator.email}。`,
  ].join('\n\n');

  const en = [
    `# Anxin User Agreement`,
    `This agreement is between you and ${operator.name} ("we") and covers the use of the Anxin doctor and patient apps. Please read it before you sign in; by agreeing you can start using the service.`,
    `## 1. The service`,
    `Anxin is a platform for online psychiatric care and counselling. Psychiatrists, psychotherapists and counsellors who are licensed and approved by us ("doctors") serve patients by text, voice and video. We check doctors' credentials and run the technology; medical and counselling advice is each doctor's own independent judgement.`,
    `## 2. This is not an emergency service`,
    `If you or someone else is in danger, or about to harm themselves or others, call **120** (ambulance) or **110** (police) now, or the **12356** mental-health helpline, or go to the nearest emergency department. Online messages may not be seen in time and cannot replace emergency help.`,
    `## 3. Account and real name`,
    `- You sign up and sign in with a mainland China mobile number registered in your own name (real-name rule); your account is created the first time a code is verified.`,
    `- One number holds one doctor account or one patient account. Do not lend, transfer or share your account.`,
    `- On a shared or someone else's device, turn "Stay signed in" off and sign out when you are done. If you see a device you do not recognise, sign it out under "Me › Signed-in devices" and contact us.`,
    `## 4. Doctors' obligations`,
    `- Give true identity and licence details, update them when your licence status changes (cancelled, suspended, new institution) and practise only within its scope.`,
    `- Online care is for follow-up visits only: the patient must already have been seen in person and diagnosed; refer first visits to in-person care. Counselling is offered as counselling, with no diagnosis or prescription.`,
    `- Keep patients' identities and consultations confidential: do not keep or share them outside the platform, do not contact patients privately or trade with them outside the platform, except where the law requires disclosure.`,
    `- When you see a risk of self-harm, suicide or harm to others, follow the platform's crisis protocol.`,
    `## 5. Patients' obligations`,
    `- Describe your situation, earlier care and medication truthfully; give true visit details when you ask for a follow-up.`,
    `- Treat doctors with respect: no abuse or harassment, and no demands that break professional rules (such as medication without a diagnosis).`,
    `- Online advice does not replace examinations and treatment in person when they are needed; if things get worse, go to a hospital. If you are under 18, use the service with your guardian's consent and support.`,
    `## 6. What is not allowed`,
    `- Using someone else's identity or credentials, or submitting false documents;`,
    `- Posting content that is illegal, sexual, violent, discriminatory or infringes others' rights;`,
    `- Recording, filming or screenshotting the other person without their consent, or sharing consultation content;`,
    `- Selling medicines, advertising or trading outside the service;`,
    `- Attacking or disrupting the platform, harvesting data or getting around security measures.`,
    `If these rules are broken we may remove the content, limit features or end the service, and report to the authorities where the law requires.`,
    `## 7. Limits of liability`,
    `- We check doctors' credentials, keep the platform safe and running, and protect your personal data as the Privacy Policy says; where our fault causes you loss, we are liable as the law provides.`,
    `- Medical and counselling advice is the doctor's independent judgement, and the professional responsibility lies with the doctor and their institution as the law provides; we give no warranty for a doctor's professional judgement.`,
    `- If the service is interrupted by force majeure, network failures or third parties, we restore it as soon as we can and tell you; we are not liable for indirect loss, unless the law says otherwise.`,
    `## 8. Ending the service and closing your account`,
    `- You can stop at any time or ask us to close your account. Please end any open consultation first; after closing, we delete or anonymise your personal data as the Privacy Policy says, and keep only the records the law requires for as long as it requires.`,
    `- If you seriously break this agreement, we may suspend or close your account and tell you why; you can appeal through the contact below.`,
    `## 9. Changes`,
    `We announce changes to this agreement in the apps in advance; a new version takes effect 7 days after notice. If you do not accept it, you can stop using the service and close your account.`,
    `## 10. Governing law and disputes`,
    `This agreement is governed by the laws of the People's Republic of China. Disputes are first settled by friendly negotiation; failing that, either side may sue in the competent people's court where the operator is located.`,
    `## 11. Contact`,
    `${operator.name}; phone ${operator.hotline}; email ${operator.email}.`,
  ].join('\n\n');

  return {
    zh: {
      title: '安心用户协议',
      summary: '使用安心的约定：线上诊疗和咨询由依法执业的医生提供，不是急救服务（紧急情况请拨打 120、110 或 12356）。',
      text: zh,
    },
    en: {
      title: 'Anxin User Agreement',
      summary:
        'The terms for using Anxin: online care and counselling by licensed professionals; not an emergency service (in an emergency call 120, 110 or 12356).',
      text: en,
    },
  };
}
