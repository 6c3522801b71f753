import Type from 'typebox';

export const DevOutboxMessage = Type.Object({
  id: Type.String(),
  to: Type.String(),
  text: Type.String(),
  sentAt: Type.String({ format: 'date-time' }),
});
export const DevOutbox = Type.Object({
  /** False in production, where the console provider is refused. */
  enabled: Type.Boolean(),
  messages: Type.Array(DevOutboxMessage),
});
export type DevOutbox = Type.Static<typeof DevOutbox>;

export const AuditVerification = Type.Object({
  ok: Type.Boolean(),
  checked: Type.Integer(),
  /** The first entry whose hash or link does not match, when the chain is broken. */
  firstBroken: Type.Union([Type.Object({ id: Type.Integer(), reason: Type.String() }), Type.Null()]),
  verifiedAt: Type.String({ format: 'date-time' }),
});
export type AuditVerification = Type.Static<typeof AuditVerification>;

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorId: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  subjectId: Type.Union([Type.String(), Type.Null()]),
  purpose: Type.Union([Type.String(), Type.Null()]),
  hash: Type.String(),
});
export const AuditPage = Type.Object({ entries: Type.Array(AuditEntry) });
export type AuditPage = Type.Static<typeof AuditPage>;
