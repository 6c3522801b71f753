import { Button, ErrorBlock, SpinLoading } from 'antd-mobile';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../lib/api';

export function LoadingView({ text, fullscreen }: { text?: string; fullscreen?: boolean }) {
  const { t } = useTranslation();
  return (
    <div className={fullscreen ? 'ax-status ax-status-fullscreen' : 'ax-status'} role="status" aria-live="polite">
      <SpinLoading color="primary" style={{ '--size': '32px' }} />
      <div className="ax-status-text">{text ?? t('common.loading')}</div>
    </div>
  );
}

/**
 * An error that says what happened and what to do next. Network problems get the "pull to refresh or
 * try again" hint; anything else shows the server's (already localised) message.
 */
export function ErrorView({
  error,
  onRetry,
  title,
  networkHint,
  fullscreen,
  testId,
}: {
  error: ApiError;
  onRetry?: () => void;
  title?: string;
  /** Shown instead of the generic message when the network is the problem, e.g. "pull down to refresh". */
  networkHint?: string;
  fullscreen?: boolean;
  testId?: string;
}) {
  const { t } = useTranslation();
  const description = error.isNetwork ? (networkHint ?? error.message) : error.message;
  return (
    <div className={fullscreen ? 'ax-status ax-status-fullscreen' : 'ax-status'} data-testid={testId ?? 'error-view'}>
      <ErrorBlock
        status={error.isNetwork ? 'disconnected' : 'default'}
        title={title ?? t('errors.loadTitle')}
        description={description}
      >
        {onRetry && (
          <Button color="primary" fill="outline" onClick={onRetry} data-testid="retry">
            {t('common.retry')}
          </Button>
        )}
      </ErrorBlock>
    </div>
  );
}

export function EmptyView({
  title,
  description,
  children,
}: {
  title: string;
  description?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <div className="ax-status" data-testid="empty-view">
      <ErrorBlock status="empty" title={title} description={description}>
        {children}
      </ErrorBlock>
    </div>
  );
}
