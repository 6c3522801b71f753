/** Consultations and messaging (CON-1…3): requests, the patient's list, the doctor's work queue and the chat. */
import { registerBundle } from '../onboarding/bundle';
import { consultationsLocales } from './locales';
import './consultations.css';

registerBundle(consultationsLocales);

export { ChatPage } from './ChatPage';
export { ConsultationListPage, PatientConsultationsEntry } from './ConsultationListPage';
export { NewConsultationPage } from './NewConsultationPage';
export { WorkQueue } from './WorkQueue';
export { PatientsPage } from './PatientsPage';
