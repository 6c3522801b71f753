import type { ConsultationSummary } from '@anxin/contracts';
import type { TFunction } from 'i18next';
import type { BundleT } from '../onboarding/bundle';
import type { ConsultationsBundle } from './locales';

type Patient = ConsultationSummary['patient'];

/**
 * The one label of a patient on the doctor's screens (work queue, patient list, chat): the name they chose, else
 * their case code, which the server derives per doctor and patient and which never changes.
 */
export function patientLabel(p: Pick<Patient, 'name' | 'code'>, t: BundleT<ConsultationsBundle>): string {
  return p.name ?? t('consultations.patientCode', { code: p.code });
}

/** "20–29岁 · 女": what the patient chose to share, or nothing at all. */
export function patientFacts(p: Pick<Patient, 'ageBand' | 'sex'>, t: TFunction): string {
  return [p.ageBand && t(`patientFacts.ageBand.${p.ageBand}`), p.sex && t(`patientFacts.sex.${p.sex}`)]
    .filter(Boolean)
    .join(' · ');
}
