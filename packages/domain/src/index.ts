export * from './phone.js';
export * from './otp-policy.js';
export * from './device.js';
export * from './resident-id.js';
export * from './certificates.js';
export * from './contact.js';
export * from './onboarding.js';
export * from './rule-result.js';
