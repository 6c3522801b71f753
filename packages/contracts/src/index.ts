export * from './common.js';
export * from './policy.js';
export * from './auth.js';
export * from './admin.js';
export * from './onboarding.js';
export * from './consultations.js';
export * from './realtime.js';
