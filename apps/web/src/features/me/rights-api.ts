/**
 * The person's side of the rights API (issue 11, /work/notes/rights-api.md): what we hold, step-up codes,
 * requests (export, correction, erasure, cancellation, explanation), withdrawal, downloads.
 */
import type {
  CancellationPreview,
  CreatedRightsRequest,
  CreateRightsRequestBody,
  DataHeld,
  RightsRequest,
  RightsRequestList,
  StepUpCodeReply,
} from '@anxin/contracts';
import { request } from '../../lib/api';

const q = encodeURIComponent;

export const rightsApi = {
  dataHeld: () => request<DataHeld>('GET', '/api/me/data'),
  /** A fresh 6-digit code to the account's own number, needed by every request. */
  stepUp: () => request<StepUpCodeReply>('POST', '/api/me/step-up', {}),
  requests: () => request<RightsRequestList>('GET', '/api/me/requests'),
  cancellationPreview: () => request<CancellationPreview>('GET', '/api/me/requests/cancellation-preview'),
  create: (body: CreateRightsRequestBody) => request<CreatedRightsRequest>('POST', '/api/me/requests', body),
  withdraw: (id: string) => request<RightsRequest>('POST', `/api/me/requests/${q(id)}/withdraw`),
  /** For `<a href download>`: the export ZIP, which works once (same-origin cookie). */
  downloadUrl: (id: string) => `/api/me/requests/${q(id)}/download`,
  /** For `<a href download>`: the deletion certificate of a completed erasure or cancellation. */
  certificateUrl: (id: string) => `/api/me/requests/${q(id)}/certificate`,
};

/** Open requests can still be withdrawn and may still change. */
export function isOpen(r: RightsRequest): boolean {
  return r.status === 'received' || r.status === 'in_progress';
}

/** An export that is still being prepared: the list is polled while there is one. */
export function isBuilding(r: RightsRequest): boolean {
  return r.export !== null && (r.export.state === 'queued' || r.export.state === 'building');
}
