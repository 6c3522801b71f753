/**
 * ONB-4 review screens of the staff console: queue, masked detail, purpose-bound reveal and decision.
 * Importing this module registers the feature's copy (zh-CN / en) with i18next.
 */
import type { ReactNode } from 'react';
import i18n from '../../lib/i18n';
import { Forbidden } from '../admin/Forbidden';
import { useMe } from '../session/SessionContext';
import { reviewLocales } from './locales';
import { canReview } from './model';
import { REVIEW_KEY_PREFIX, useReviewT } from './text';
import './review.css';

for (const [lng, bundle] of Object.entries(reviewLocales)) {
  i18n.addResourceBundle(lng, 'translation', { [REVIEW_KEY_PREFIX]: bundle }, true, true);
}

export { canReview } from './model';
export { ReviewDetailPage } from './ReviewDetailPage';
export { ReviewQueuePage } from './ReviewQueuePage';

/** Reviewers and admins only; anyone else reaching the route sees the console's 403 page. */
export function ReviewAccess({ children }: { children: ReactNode }) {
  const me = useMe();
  const rt = useReviewT();
  if (!canReview(me.roles)) return <Forbidden detail={rt('forbidden')} />;
  return <>{children}</>;
}

/** The side-menu label (the layout shows the item only to roles that may use it). */
export function ReviewsMenuLabel() {
  const rt = useReviewT();
  return <span data-testid="menu-reviews">{rt('menu')}</span>;
}
