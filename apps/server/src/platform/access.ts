import type { AppKind, StaffRole } from '@anxin/contracts';

/**
 * Who may call a route, declared on the route itself (`config.access`) and enforced by one guard before any
 * handler runs. A route without a declaration is refused (fail closed).
 */
export type Access =
  | { kind: 'public' }
  | {
      kind: 'user';
      /** Which apps' accounts may call it (default: doctor and patient). */
      apps?: AppKind[];
      /** Reachable before the staff second factor (only /me and sign-out). */
      allowPendingStage?: boolean;
      /** Reachable while a new policy version awaits acceptance. */
      allowPolicyPending?: boolean;
    }
  | { kind: 'staff'; roles: StaffRole[] | 'any' };

export const access = {
  public: { kind: 'public' } as Access,
  /** Signed-in doctor or patient. */
  member: (opts: { allowPolicyPending?: boolean } = {}): Access => ({
    kind: 'user',
    apps: ['doctor', 'patient'],
    ...opts,
  }),
  /** Signed-in doctor only. */
  doctor: (): Access => ({ kind: 'user', apps: ['doctor'] }),
  /** Any signed-in account, staff included. */
  anyUser: (opts: { allowPendingStage?: boolean; allowPolicyPending?: boolean } = {}): Access => ({
    kind: 'user',
    apps: ['doctor', 'patient', 'staff'],
    ...opts,
  }),
  staff: (roles: StaffRole[] | 'any'): Access => ({ kind: 'staff', roles }),
};

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}
