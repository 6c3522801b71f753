import type {
  CalendarOverview,
  CalendarYearNotice,
  CompleteRightsRequestBody,
  LegalHold,
  RefuseRightsRequestBody,
  StaffCreateRightsRequestBody,
  StaffRightsRequest,
  StaffRightsRequestDetail,
  StaffRightsRequestList,
} from '@anxin/contracts';
import { request } from '../../lib/api';

const q = encodeURIComponent;
const base = '/api/admin/rights';

/** The privacy officer's and support's calls for data-subject requests (issue 11, staff side). */
export const rightsAdminApi = {
  list: (status: 'open' | 'closed') => request<StaffRightsRequestList>('GET', `${base}/requests?status=${status}`),
  open: (id: string, purpose: string) =>
    request<StaffRightsRequestDetail>('POST', `${base}/requests/${q(id)}/open`, { purpose }),
  create: (body: StaffCreateRightsRequestBody) => request<StaffRightsRequest>('POST', `${base}/requests`, body),
  note: (id: string, note: string) =>
    request<StaffRightsRequestDetail>('POST', `${base}/requests/${q(id)}/notes`, { note }),
  refuse: (id: string, body: RefuseRightsRequestBody) =>
    request<StaffRightsRequestDetail>('POST', `${base}/requests/${q(id)}/refuse`, body),
  complete: (id: string, body: CompleteRightsRequestBody) =>
    request<StaffRightsRequestDetail>('POST', `${base}/requests/${q(id)}/complete`, body),
  process: (id: string) => request<StaffRightsRequestDetail>('POST', `${base}/requests/${q(id)}/process`),
  certificateUrl: (id: string) => `${base}/requests/${q(id)}/certificate`,
  calendar: () => request<CalendarOverview>('GET', `${base}/calendar`),
  addCalendar: (body: CalendarYearNotice) => request<CalendarOverview>('POST', `${base}/calendar`, body),
  holds: () => request<{ holds: LegalHold[] }>('GET', `${base}/holds`),
};
