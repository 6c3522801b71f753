import type { DevOutbox } from '@anxin/contracts';
import { Alert, Button, Card, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/hooks';
import { Forbidden } from './Forbidden';

type Message = DevOutbox['messages'][number];

/** Texts the console SMS provider "sent" (dev only): where to find sign-in codes locally. */
export function DevOutboxPage() {
  const { t } = useTranslation();
  const { data, error, loading, reload } = useResource(() => api.devOutbox(), []);

  if (error?.status === 403) return <Forbidden />;

  const messages = data ? [...data.messages].sort((a, b) => b.sentAt.localeCompare(a.sentAt)) : [];

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div className="ax-admin-page-head">
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('admin.devOutbox.title')}
        </Typography.Title>
        <Button onClick={() => void reload()} loading={loading} data-testid="outbox-refresh">
          {t('common.refresh')}
        </Button>
      </div>

      {data?.enabled === true && (
        <Alert
          type="warning"
          showIcon
          banner
          title={<strong>{t('admin.devOutbox.warning')}</strong>}
          description={t('admin.devOutbox.warningBody')}
          data-testid="dev-outbox-warning"
        />
      )}
      {data?.enabled === false && (
        <Alert
          type="info"
          showIcon
          title={t('admin.devOutbox.disabled')}
          description={t('admin.devOutbox.disabledBody')}
        />
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

      <Card>
        <div data-testid="outbox-table">
          <Table<Message>
            rowKey="id"
            size="middle"
            loading={loading && !data}
            dataSource={messages}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            locale={{ emptyText: t('admin.devOutbox.empty') }}
            columns={[
              { title: t('admin.devOutbox.to'), dataIndex: 'to', width: 160 },
              { title: t('admin.devOutbox.text'), dataIndex: 'text' },
              {
                title: t('admin.devOutbox.sentAt'),
                dataIndex: 'sentAt',
                width: 180,
                render: (value: string) => formatDateTime(value),
              },
            ]}
          />
        </div>
      </Card>
    </Space>
  );
}
