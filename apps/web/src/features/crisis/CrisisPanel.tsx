import { CrisisBanner } from './CrisisBanner';
import { CrisisResourceCard } from './CrisisResourceCard';
import { resourcesOf } from './model';
import { useCrisis } from './useCrisis';

/** What the chat shows above its messages (CON-4): the doctor's alert, or the patient's resource card. */
export function CrisisPanel({ consultationId, role }: { consultationId: string; role: 'doctor' | 'patient' }) {
  const crisis = useCrisis(consultationId, role);
  if (role === 'doctor') return <CrisisBanner crisis={crisis} />;
  return <CrisisResourceCard resources={resourcesOf(crisis.view)} />;
}
