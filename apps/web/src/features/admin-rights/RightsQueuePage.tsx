import type { StaffRightsRequest, StaffRightsRequestList } from '@anxin/contracts';
import { Alert, Button, Empty, Space, Table, Tabs, Tag, Typography, type TableColumnsType } from 'antd';
import { useCallback, useEffect, useState, type HTMLAttributes } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { toApiError, type ApiError } from '../../lib/api';
import { useMe } from '../session/SessionContext';
import { rightsAdminApi } from './api';
import { useRightsT } from './i18n';
import { dueColor, formatTime, isPrivacyOfficer } from './model';

type Tab = 'open' | 'closed';

/** RIG-7: the queue of data-subject requests, open ones sorted by due date. */
export function RightsQueuePage() {
  const t = useRightsT();
  const me = useMe();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab: Tab = params.get('status') === 'closed' ? 'closed' : 'open';
  const [data, setData] = useState<StaffRightsRequestList>();
  const [error, setError] = useState<ApiError>();
  const [loading, setLoading] = useState(true);

  const load = useCallback(async (status: Tab) => {
    setLoading(true);
    setError(undefined);
    try {
      setData(await rightsAdminApi.list(status));
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(tab);
  }, [load, tab]);

  const left = (r: StaffRightsRequest) => {
    const text =
      r.daysLeft > 0
        ? t('rightsAdmin.queue.daysLeft', { count: r.daysLeft })
        : r.daysLeft === 0
          ? t('rightsAdmin.queue.dueToday')
          : t('rightsAdmin.queue.overdue', { count: -r.daysLeft });
    return <Tag color={dueColor(r.daysLeft)}>{text}</Tag>;
  };

  const columns: TableColumnsType<StaffRightsRequest> = [
    {
      key: 'kind',
      title: t('rightsAdmin.queue.col.kind'),
      render: (_, r) => (
        <Space size={4} wrap>
          <span>{t(`rightsAdmin.kind.${r.kind}`)}</span>
          {r.flaggedRepeat && <Tag color="gold">{t('rightsAdmin.queue.repeat')}</Tag>}
        </Space>
      ),
    },
    { key: 'app', title: t('rightsAdmin.queue.col.app'), render: (_, r) => t(`rightsAdmin.app.${r.app}`) },
    { key: 'received', title: t('rightsAdmin.queue.col.received'), render: (_, r) => formatTime(r.receivedAt) },
    {
      key: 'due',
      title: t('rightsAdmin.queue.col.due'),
      render: (_, r) => (
        <Space size={4}>
          <span>{r.dueOn}</span>
          {r.dueProvisional && <Tag>{t('rightsAdmin.queue.provisional')}</Tag>}
        </Space>
      ),
    },
    ...(tab === 'open'
      ? [
          {
            key: 'left',
            title: t('rightsAdmin.queue.col.left'),
            render: (_: unknown, r: StaffRightsRequest) => left(r),
          },
        ]
      : []),
    {
      key: 'verification',
      title: t('rightsAdmin.queue.col.verification'),
      render: (_, r) => t(`rightsAdmin.verification.${r.verification}`),
    },
    { key: 'status', title: t('rightsAdmin.queue.col.status'), render: (_, r) => t(`rightsAdmin.status.${r.status}`) },
  ];

  const missing = data?.calendarYearsWithoutData ?? [];

  return (
    <div data-testid="rights-queue">
      <Space style={{ width: '100%', justifyContent: 'space-between' }} wrap>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('rightsAdmin.queue.title')}
        </Typography.Title>
        <Space wrap>
          {isPrivacyOfficer(me.roles) && (
            <>
              <Link to="/rights/calendar">{t('rightsAdmin.queue.calendarLink')}</Link>
              <Link to="/rights/holds">{t('rightsAdmin.queue.holdsLink')}</Link>
            </>
          )}
          <Button type="primary" onClick={() => navigate('/rights/new')}>
            {t('rightsAdmin.queue.new')}
          </Button>
        </Space>
      </Space>
      <Typography.Paragraph type="secondary">{t('rightsAdmin.queue.intro')}</Typography.Paragraph>
      {missing.length > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('rightsAdmin.queue.calendarMissing', { years: missing.join('、') })}
          action={
            isPrivacyOfficer(me.roles) ? (
              <Link to="/rights/calendar">{t('rightsAdmin.queue.addCalendar')}</Link>
            ) : undefined
          }
        />
      )}
      {error && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('rightsAdmin.loadFailed')}
          description={error.message}
          action={<Button onClick={() => void load(tab)}>{t('rightsAdmin.retry')}</Button>}
        />
      )}
      <Tabs
        activeKey={tab}
        onChange={(key) => setParams(key === 'closed' ? { status: 'closed' } : {})}
        items={[
          { key: 'open', label: t('rightsAdmin.queue.open') },
          { key: 'closed', label: t('rightsAdmin.queue.closed') },
        ]}
      />
      <Table<StaffRightsRequest>
        rowKey="id"
        loading={loading}
        columns={columns}
        dataSource={data?.requests ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={tab === 'open' ? t('rightsAdmin.queue.empty') : t('rightsAdmin.queue.emptyClosed')}
            />
          ),
        }}
        onRow={(r) =>
          ({
            'data-testid': 'rights-row',
            style: { cursor: 'pointer' },
            onClick: () => navigate(`/rights/${encodeURIComponent(r.id)}`),
          }) as HTMLAttributes<HTMLElement>
        }
      />
    </div>
  );
}
