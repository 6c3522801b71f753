import { Button, NoticeBar, PullToRefresh } from 'antd-mobile';
import { useNavigate, useParams } from 'react-router';
import { Page } from '../../ui/mobile/Page';
import { EmptyView, ErrorView, LoadingView } from '../../ui/mobile/StatusViews';
import { usePullCopy } from './pull';
import { useRightsT } from './rights-i18n';
import { RequestCard, useRightsRequests } from './RightsRequests';

/** `/me/privacy/requests/:id`: one request in full, with its progress while an export is prepared. */
export function RequestDetailPage() {
  const t = useRightsT();
  const navigate = useNavigate();
  const pull = usePullCopy();
  const { id } = useParams();
  const { data, error, loading, reload } = useRightsRequests();
  const request = data?.requests.find((r) => r.id === id);

  return (
    <Page title={request ? t(`rights.requests.kind.${request.kind}`) : t('rights.requests.title')} backTo="/me/privacy">
      <PullToRefresh onRefresh={reload} {...pull}>
        <div className="ax-list-page" data-testid="rights-request-detail">
          {!data && loading && <LoadingView />}
          {error && !data && (
            <ErrorView
              error={error}
              title={t('rights.requests.errorTitle')}
              networkHint={t('rights.loadFailed')}
              onRetry={() => void reload()}
              testId="rights-request-error"
            />
          )}
          {error && data && (
            <NoticeBar color="alert" wrap content={error.isNetwork ? t('rights.loadFailed') : error.message} />
          )}
          {data && !request && (
            <EmptyView title={t('rights.requests.notFound')} description={t('rights.requests.notFoundHint')}>
              <Button color="primary" fill="outline" onClick={() => navigate('/me/privacy')}>
                {t('rights.requests.backToList')}
              </Button>
            </EmptyView>
          )}
          {request && (
            <div className="ax-card">
              <RequestCard request={request} onChanged={reload} full />
            </div>
          )}
        </div>
      </PullToRefresh>
    </Page>
  );
}
