import { createContext, useContext } from 'react';
import type { MobileApp } from '../../lib/storage';

export type { MobileApp };

const AppContext = createContext<MobileApp>('doctor');

export const MobileAppProvider = AppContext.Provider;

/** Which mobile app we're in: the doctor and patient apps share screens and differ in copy and colour. */
export function useMobileApp(): MobileApp {
  return useContext(AppContext);
}
