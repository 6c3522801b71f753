import { Badge } from 'antd-mobile';
import { useEffect } from 'react';
import { useNavigate } from 'react-router';
import { onboardingApi } from '../../lib/api';
import { useResource } from '../../lib/hooks';
import { useNoticesT } from './i18n';

function BellIcon() {
  return (
    <svg
      width="24"
      height="24"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      aria-hidden="true"
    >
      <path d="M6 16.5V11a6 6 0 0 1 12 0v5.5l1.5 2h-15z" strokeLinejoin="round" />
      <path d="M10 20.5a2.2 2.2 0 0 0 4 0" strokeLinecap="round" />
    </svg>
  );
}

/** The bell on the home header: unread count from `GET /api/me/notices`, refreshed when the app comes back. */
export function NoticesBell() {
  const t = useNoticesT();
  const navigate = useNavigate();
  const { data, reload } = useResource(() => onboardingApi.notices(), []);
  const unread = data?.unread ?? 0;

  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') void reload();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [reload]);

  return (
    <button
      type="button"
      className="ax-notices-bell"
      onClick={() => navigate('/notices')}
      aria-label={unread > 0 ? t('notices.bellUnread', { count: unread }) : t('notices.bell')}
      data-testid="notices-bell"
    >
      <Badge
        content={
          unread > 0 ? (
            <span data-testid="notices-unread" data-count={unread}>
              {unread > 99 ? '99+' : unread}
            </span>
          ) : null
        }
      >
        <BellIcon />
      </Badge>
    </button>
  );
}
