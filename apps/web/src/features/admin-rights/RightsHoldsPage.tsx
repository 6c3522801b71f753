import type { LegalHold } from '@anxin/contracts';
import { Alert, Button, Empty, Space, Table, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { toApiError, type ApiError } from '../../lib/api';
import { rightsAdminApi } from './api';
import { useRightsT } from './i18n';
import { formatTime } from './model';

/** What is kept by law after an erasure or a cancellation (privacy officer only). */
export function RightsHoldsPage() {
  const t = useRightsT();
  const [holds, setHolds] = useState<LegalHold[]>();
  const [error, setError] = useState<ApiError>();

  const load = useCallback(async () => {
    setError(undefined);
    try {
      setHolds((await rightsAdminApi.holds()).holds);
    } catch (err) {
      setError(toApiError(err));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }} data-testid="rights-holds">
      <Link to="/rights">← {t('rightsAdmin.detail.back')}</Link>
      <Typography.Title level={3} style={{ margin: 0 }}>
        {t('rightsAdmin.holds.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('rightsAdmin.holds.intro')}</Typography.Paragraph>
      {error && (
        <Alert
          type="error"
          showIcon
          message={t('rightsAdmin.loadFailed')}
          description={error.message}
          action={<Button onClick={() => void load()}>{t('rightsAdmin.retry')}</Button>}
        />
      )}
      <Table<LegalHold>
        rowKey="id"
        loading={!holds && !error}
        dataSource={holds ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('rightsAdmin.holds.empty')} />,
        }}
        columns={[
          { key: 'category', title: t('rightsAdmin.holds.col.category'), dataIndex: 'category' },
          { key: 'basis', title: t('rightsAdmin.holds.col.basis'), dataIndex: 'basis' },
          { key: 'from', title: t('rightsAdmin.holds.col.from'), render: (_, h) => formatTime(h.heldFrom) },
          { key: 'until', title: t('rightsAdmin.holds.col.until'), render: (_, h) => formatTime(h.heldUntil) },
          {
            key: 'request',
            title: t('rightsAdmin.holds.col.request'),
            render: (_, h) => <Link to={`/rights/${encodeURIComponent(h.requestId)}`}>{h.requestId}</Link>,
          },
        ]}
      />
    </Space>
  );
}
