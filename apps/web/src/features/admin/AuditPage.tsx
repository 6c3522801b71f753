import type { AuditPage as AuditPageData, AuditVerification } from '@anxin/contracts';
import { Alert, Button, Card, Result, Space, Table, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, toApiError, type ApiError } from '../../lib/api';
import { formatDateTime, shortHash } from '../../lib/format';
import { useResource } from '../../lib/hooks';
import { Forbidden } from './Forbidden';

type Entry = AuditPageData['entries'][number];
const LIMIT = 50;

const mono = (value: string | null) =>
  value === null ? (
    <Typography.Text type="secondary">—</Typography.Text>
  ) : (
    <Typography.Text code>{value}</Typography.Text>
  );

/** The hash-chained audit log and a button to verify the chain end to end. */
export function AuditPage() {
  const { t } = useTranslation();
  const { data, error, loading, reload } = useResource(() => api.audit(LIMIT), []);
  const [verifying, setVerifying] = useState(false);
  const [verification, setVerification] = useState<AuditVerification>();
  const [verifyError, setVerifyError] = useState<ApiError>();

  if (error?.status === 403 || verifyError?.status === 403) return <Forbidden detail={t('admin.auditForbidden')} />;

  const verify = async () => {
    setVerifying(true);
    setVerifyError(undefined);
    try {
      setVerification(await api.verifyAudit());
    } catch (err) {
      setVerification(undefined);
      setVerifyError(toApiError(err));
    } finally {
      setVerifying(false);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div className="ax-admin-page-head">
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('admin.audit.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('admin.audit.intro')}</Typography.Text>
        </div>
        <Space>
          <Button onClick={() => void reload()} loading={loading} data-testid="audit-refresh">
            {t('common.refresh')}
          </Button>
          <Button type="primary" onClick={() => void verify()} loading={verifying} data-testid="audit-verify">
            {t('admin.audit.verify')}
          </Button>
        </Space>
      </div>

      {verifyError && <Alert type="error" showIcon title={verifyError.message} data-testid="audit-verify-error" />}
      {verification && (
        <Card className="ax-audit-result">
          <div data-testid="audit-result">
            {verification.ok ? (
              <Result
                status="success"
                title={t('admin.audit.verifyOk', { count: verification.checked })}
                subTitle={t('admin.audit.verifiedAt', { time: formatDateTime(verification.verifiedAt) })}
              />
            ) : (
              <Result
                status="error"
                title={
                  verification.firstBroken
                    ? t('admin.audit.verifyBroken', { id: verification.firstBroken.id })
                    : t('admin.audit.verifyBroken', { id: '?' })
                }
                subTitle={
                  <>
                    {verification.firstBroken && (
                      <div>{t('admin.audit.verifyReason', { reason: verification.firstBroken.reason })}</div>
                    )}
                    <div>{t('admin.audit.verifiedAt', { time: formatDateTime(verification.verifiedAt) })}</div>
                  </>
                }
              />
            )}
          </div>
        </Card>
      )}

      {error && (
        <Alert
          type="error"
          showIcon
          title={error.message}
          description={t('admin.loadFailed')}
          data-testid="load-error"
        />
      )}

      <Card title={data ? t('admin.audit.latest', { count: data.entries.length }) : undefined}>
        <div data-testid="audit-table">
          <Table<Entry>
            rowKey="id"
            size="middle"
            loading={loading && !data}
            dataSource={data?.entries ?? []}
            pagination={{ pageSize: 25, hideOnSinglePage: true }}
            locale={{ emptyText: t('admin.audit.empty') }}
            scroll={{ x: 960 }}
            columns={[
              { title: t('admin.audit.id'), dataIndex: 'id', width: 80 },
              { title: t('admin.audit.at'), dataIndex: 'at', width: 170, render: (v: string) => formatDateTime(v) },
              { title: t('admin.audit.action'), dataIndex: 'action', width: 230, render: (v: string) => mono(v) },
              { title: t('admin.audit.actor'), dataIndex: 'actorId', ellipsis: true, render: mono },
              { title: t('admin.audit.subject'), dataIndex: 'subjectId', ellipsis: true, render: mono },
              { title: t('admin.audit.purpose'), dataIndex: 'purpose', width: 140, render: mono },
              {
                title: t('admin.audit.hash'),
                dataIndex: 'hash',
                width: 190,
                render: (v: string) => (
                  <Tooltip title={v}>
                    <Typography.Text code>{shortHash(v)}</Typography.Text>
                  </Tooltip>
                ),
              },
            ]}
          />
        </div>
      </Card>
    </Space>
  );
}
