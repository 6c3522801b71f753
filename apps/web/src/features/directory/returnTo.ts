/**
 * Where the sign-in page sends a visitor once signed in: a path inside this app passed in router state (never in
 * the URL), e.g. back to the doctor whose consultation they wanted to start. Anything else goes home.
 */
export interface ReturnState {
  returnTo: string;
}

const SAFE_PATH = /^\/(?!\/)[\w\-./?=&%]*$/;

export function returnPath(state: unknown): string {
  const to = (state as Partial<ReturnState> | null)?.returnTo;
  return typeof to === 'string' && SAFE_PATH.test(to) && !to.startsWith('/sign-in') ? to : '/';
}
