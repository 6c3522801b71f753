/**
 * The staff console's screens, each loaded when first shown (React.lazy): the first load is the sign-in step
 * and antd's core, not every table, form and tree of the console.
 */
import { lazyNamed } from '../lazy';

const review = () => import('../../features/admin-review');
const crisis = () => import('../../features/crisis/admin');
const rights = () => import('../../features/admin-rights');

export const StaffSignIn = lazyNamed(() => import('../../features/admin/StaffSignIn'), 'StaffSignIn');
export const EnrolPage = lazyNamed(() => import('../../features/admin/EnrolPage'), 'EnrolPage');
export const ConsoleLayout = lazyNamed(() => import('../../features/admin/ConsoleLayout'), 'ConsoleLayout');
export const DevOutboxPage = lazyNamed(() => import('../../features/admin/DevOutboxPage'), 'DevOutboxPage');
export const AuditPage = lazyNamed(() => import('../../features/admin/AuditPage'), 'AuditPage');
export const ReviewAccess = lazyNamed(review, 'ReviewAccess');
export const ReviewQueuePage = lazyNamed(review, 'ReviewQueuePage');
export const ReviewDetailPage = lazyNamed(review, 'ReviewDetailPage');
export const CrisisAccess = lazyNamed(crisis, 'CrisisAccess');
export const EscalationsPage = lazyNamed(crisis, 'EscalationsPage');
export const EscalationDetailPage = lazyNamed(crisis, 'EscalationDetailPage');
export const RightsAccess = lazyNamed(rights, 'RightsAccess');
export const RightsOfficerAccess = lazyNamed(rights, 'RightsOfficerAccess');
export const RightsQueuePage = lazyNamed(rights, 'RightsQueuePage');
export const RightsDetailPage = lazyNamed(rights, 'RightsDetailPage');
export const RightsNewPage = lazyNamed(rights, 'RightsNewPage');
export const RightsCalendarPage = lazyNamed(rights, 'RightsCalendarPage');
export const RightsHoldsPage = lazyNamed(rights, 'RightsHoldsPage');
