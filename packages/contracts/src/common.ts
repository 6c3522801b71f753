import Type from 'typebox';

/** Every 4xx/5xx body. `code` is stable and machine-readable; `message` is in the caller's language. */
export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    /** Seconds to wait before retrying, for rate limits. */
    retryAfterSeconds: Type.Optional(Type.Integer()),
    /** Which field was wrong, for validation errors. */
    field: Type.Optional(Type.String()),
  }),
});
export type ErrorBody = Type.Static<typeof ErrorBody>;

export const Locale = Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]);
export type Locale = Type.Static<typeof Locale>;

/** Which app a person signs in to. Doctor and patient accounts are separate even for the same phone. */
export const AppKind = Type.Union([Type.Literal('doctor'), Type.Literal('patient'), Type.Literal('staff')]);
export type AppKind = Type.Static<typeof AppKind>;

export const StaffRole = Type.Union([
  Type.Literal('reviewer'),
  Type.Literal('support'),
  Type.Literal('privacy_officer'),
  Type.Literal('security_officer'),
  Type.Literal('admin'),
]);
export type StaffRole = Type.Static<typeof StaffRole>;

export const Ok = Type.Object({ ok: Type.Literal(true) });
export type Ok = Type.Static<typeof Ok>;
