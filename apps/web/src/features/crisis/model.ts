import {
  NATIONAL_CRISIS_LINES,
  type CrisisResource,
  type CrisisView,
  type ServerFrame,
  type StaffRole,
} from '@anxin/contracts';

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
export const FALLBACK_RESOURCES: readonly CrisisResource[] = NATIONAL_CRISIS_LINES;

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
