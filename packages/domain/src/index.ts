export * from './phone.js';
export * from './otp-policy.js';
export * from './device.js';
