import { NATIONAL_CRISIS_LINES, type Bilingual, type CrisisResource } from '@anxin/contracts';
import type { LocalLine } from './crisis.config.js';

/** Digits and a leading + only, for a `tel:` link. */
export const telOf = (phone: string) => phone.replace(/(?!^\+)[^0-9]/g, '');

export function crisisResources(localLines: LocalLine[]): CrisisResource[] {
  const local: CrisisResource[] = localLines.map((line, i) => ({
    id: `local.${i + 1}`,
    kind: 'local',
    name: { zh: line.name, en: line.name },
    phone: line.phone,
    tel: telOf(line.phone),
    note: null,
  }));
  return [NATIONAL_CRISIS_LINES[0]!, ...local, ...NATIONAL_CRISIS_LINES.slice(1)];
}

/**
 * The platform's crisis protocol for the doctor (shown with an alert). It supports the clinician's judgement and
 * does not replace it. The platform itself never contacts anyone outside: that is the doctor's decision, with the
 * patient where possible.
 */
export const CRISIS_PROTOCOL: Bilingual[] = [
  {
    zh: '先回应，不评判：平静、直接地问对方此刻是否安全，是否有伤害自己的想法。直接询问不会增加风险。',
    en: 'Respond first, without judgement: ask calmly and directly whether they are safe right now and whether they are thinking of harming themselves. Asking directly does not increase risk.',
  },
  {
    zh: '评估紧迫性：是否有具体的计划、手段和时间，是否已经采取了行动，身边有没有人。',
    en: 'Assess urgency: is there a concrete plan, means or time; has anything already been done; is anyone with them.',
  },
  {
    zh: '有即刻危险时：请对方马上拨打 120 或 110，或征得同意后由您协助联系；问清所在位置，请身边的人陪着，移开危险物品。',
    en: 'If there is immediate danger: ask them to call 120 or 110 now, or help them do so with their agreement; ask where they are, ask someone nearby to stay with them, and move dangerous items away.',
  },
  {
    zh: '给出求助途径：告诉对方心理援助热线 12356 和本地热线，确认对方知道怎么拨打。',
    en: 'Give ways to get help: share the mental-health hotline 12356 and the local lines, and check they know how to call.',
  },
  {
    zh: '保持联系：在对话中陪伴对方，约好下一次联系的时间，需要时建议尽快线下就诊。',
    en: 'Stay in contact: keep talking, agree when you will next be in touch, and recommend an in-person visit soon when needed.',
  },
  {
    zh: '记录与求助：点击“我已知悉”，在病历中记录您的评估和处置。需要平台协助时联系运营支持。平台不会自动向任何外部机构报告。',
    en: 'Record and ask for support: tap “I have seen this”, and record your assessment and actions in the notes. Contact operator support if you need the platform’s help. The platform never reports anything to outside bodies by itself.',
  },
];
