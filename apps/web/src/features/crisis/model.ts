import type { CrisisResource, CrisisView, ServerFrame, StaffRole } from '@anxin/contracts';

export type CrisisFrame = Extract<ServerFrame, { type: 'crisis' }>;

/** Who handles escalations in the staff console (the server checks the same roles on every call). */
export const CRISIS_ROLES: readonly StaffRole[] = ['support', 'admin'];

export function canHandleCrisis(roles: readonly StaffRole[]): boolean {
  return roles.some((role) => CRISIS_ROLES.includes(role));
}

/**
 * The national lines, built in: help must never depend on the network. Shown to the patient until (or when) the
 * server's list with the operator's local lines cannot be loaded.
 */
export const FALLBACK_RESOURCES: readonly CrisisResource[] = [
  {
    id: 'cn.hotline.12356',
    kind: 'hotline',
    name: { zh: '全国心理援助热线', en: 'National mental-health hotline' },
    phone: '12356',
    tel: '12356',
    note: {
      zh: '由专业人员接听，可以倾诉，也可以询问怎么办。',
      en: 'Answered by trained staff: you can talk, or ask what to do next.',
    },
  },
  {
    id: 'cn.emergency.120',
    kind: 'emergency',
    name: { zh: '急救电话', en: 'Ambulance (medical emergency)' },
    phone: '120',
    tel: '120',
    note: {
      zh: '已经服药过量、受伤或身体出现危险时拨打。',
      en: 'Call if someone has taken an overdose, is injured or is in physical danger.',
    },
  },
  {
    id: 'cn.emergency.110',
    kind: 'emergency',
    name: { zh: '报警电话', en: 'Police (immediate danger)' },
    phone: '110',
    tel: '110',
    note: {
      zh: '生命正受到即刻威胁、需要有人马上赶到时拨打。',
      en: 'Call when a life is in immediate danger and someone needs to get there now.',
    },
  },
];

/** The lines to show: the server's when loaded, the built-in national ones otherwise. */
export function resourcesOf(view: CrisisView | undefined): readonly CrisisResource[] {
  return view && view.resources.length > 0 ? view.resources : FALLBACK_RESOURCES;
}

/** A `tel:` href from whatever the server sent (digits and a leading + only). */
export function telHref(resource: Pick<CrisisResource, 'tel' | 'phone'>): string {
  const digits = (resource.tel || resource.phone).replace(/(?!^\+)[^0-9]/g, '');
  return `tel:${digits}`;
}

/** "全国心理援助热线 12356、… " for the text a doctor can paste into the chat (hotlines and local lines only). */
export function linesForCopy(resources: readonly CrisisResource[], pick: (t: { zh: string; en: string }) => string) {
  return resources
    .filter((r) => r.kind !== 'emergency')
    .map((r) => `${pick(r.name)} ${r.phone}`)
    .join(pick({ zh: '；', en: '; ' }));
}

/** Whether a frame is about this consultation's crisis state. */
export function isCrisisFrameFor(frame: ServerFrame, consultationId: string): frame is CrisisFrame {
  return frame.type === 'crisis' && frame.consultationId === consultationId;
}
