import { Navigate, useLocation } from 'react-router';
import { returnPath } from './returnTo';

/**
 * `/sign-in` once signed in: on to where the visitor was going (see returnPath). The signed-in screens can render
 * before the sign-in page's own navigation lands, and without this they would fall back to home.
 */
export function ReturnAfterSignIn() {
  const { state } = useLocation();
  return <Navigate to={returnPath(state)} replace />;
}
