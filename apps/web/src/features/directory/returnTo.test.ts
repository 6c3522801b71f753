import { describe, expect, it } from 'vitest';
import { returnPath } from './returnTo';

describe('where sign-in returns to', () => {
  it('goes back to a path inside the app, e.g. the consultation form of the chosen doctor', () => {
    const form = '/consultations/new?doctor=6f1c1f8e-2b1e-4a57-9f0e-0d6c3b1b7a10';
    expect(returnPath({ returnTo: form })).toBe(form);
    expect(returnPath({ returnTo: '/doctors/6f1c1f8e-2b1e-4a57-9f0e-0d6c3b1b7a10' })).toBe(
      '/doctors/6f1c1f8e-2b1e-4a57-9f0e-0d6c3b1b7a10',
    );
  });

  it('never leaves the app or loops back to sign-in: anything else goes home', () => {
    for (const returnTo of ['//evil.example/x', 'https://evil.example', 'javascript:alert(1)', '/sign-in', '/a b', 42])
      expect(returnPath({ returnTo })).toBe('/');
    expect(returnPath(null)).toBe('/');
    expect(returnPath(undefined)).toBe('/');
  });
});
