import { CrisisBanner } from './CrisisBanner';
import { CrisisResourceCard } from './CrisisResourceCard';
import { resourcesOf } from './model';
import type { Crisis } from './useCrisis';

/**
 * What the chat pins above its messages (CON-4): the doctor's alert, or the patient's resource card. The chat owns
 * the crisis state (`useCrisis`), so that ending the consultation can ask for the second step too.
 */
export function CrisisPanel({
  crisis,
  role,
  onShowMessage,
}: {
  crisis: Crisis;
  role: 'doctor' | 'patient';
  onShowMessage?: (seq: number) => void;
}) {
  if (role === 'doctor') return <CrisisBanner crisis={crisis} onShowMessage={onShowMessage} />;
  return <CrisisResourceCard resources={resourcesOf(crisis.view)} />;
}
