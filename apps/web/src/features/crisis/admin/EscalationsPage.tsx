import type { EscalationFilter, EscalationItem } from '@anxin/contracts';
import { Alert, Button, Card, Segmented, Space, Tag, Typography } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { crisisApi } from '../../../lib/api';
import { formatDateTime } from '../../../lib/format';
import { useResource } from '../../../lib/hooks';
import { Forbidden } from '../../admin/Forbidden';
import { QueueTable } from '../../admin/QueueTable';
import { useCrisisT } from '../i18n';

const FILTERS: readonly EscalationFilter[] = ['open', 'acknowledged', 'closed', 'all'];
export const SEVERITY_COLOR = { acute: 'red', concern: 'orange' } as const;
export const STATUS_COLOR = { open: 'error', acknowledged: 'processing', closed: 'default' } as const;

function parseFilter(value: string | null): EscalationFilter {
  return FILTERS.find((f) => f === value) ?? 'open';
}

/** `/crisis` — support's queue of crisis escalations (CON-4). Never shows message text; every load is audited. */
export function EscalationsPage() {
  const t = useCrisisT();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const status = parseFilter(params.get('status'));
  const { data, error, loading, reload } = useResource(() => crisisApi.escalations(status), [status]);

  if (error?.status === 403) return <Forbidden detail={t('crisis.admin.forbidden')} />;

  const items = data?.items ?? [];
  const open = (id: string) => navigate(`/crisis/${encodeURIComponent(id)}`);
  const empty = error
    ? { title: error.message, hint: t('crisis.admin.loadFailed') }
    : status === 'open'
      ? { title: t('crisis.admin.empty.open'), hint: t('crisis.admin.empty.openHint') }
      : { title: t('crisis.admin.empty.other'), hint: t('crisis.admin.empty.otherHint') };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div className="ax-admin-page-head">
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('crisis.admin.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('crisis.admin.intro')}</Typography.Text>
        </div>
        <Button onClick={() => void reload()} loading={loading} data-testid="crisis-refresh">
          {t('crisis.admin.refresh')}
        </Button>
      </div>

      <Segmented<EscalationFilter>
        value={status}
        onChange={(value) => setParams(value === 'open' ? {} : { status: value }, { replace: true })}
        options={FILTERS.map((f) => ({
          value: f,
          label: <span data-testid={`crisis-filter-${f}`}>{t(`crisis.admin.filter.${f}`)}</span>,
        }))}
      />

      {error && (
        <Alert
          type="error"
          showIcon
          title={error.message}
          description={t('crisis.admin.loadFailed')}
          data-testid="load-error"
        />
      )}

      <Card
        title={data ? t('crisis.admin.count', { count: items.length }) : undefined}
        extra={
          items.length > 0 ? <Typography.Text type="secondary">{t('crisis.admin.openHint')}</Typography.Text> : null
        }
      >
        <QueueTable<EscalationItem>
          testId="crisis"
          items={items}
          loading={loading && !data}
          empty={empty}
          onOpen={open}
          rowData={(item) => ({ 'data-escalation-id': item.id })}
          columns={[
            {
              title: t('crisis.admin.col.severity'),
              dataIndex: 'severity',
              width: 90,
              render: (severity: EscalationItem['severity']) => (
                <Tag color={SEVERITY_COLOR[severity]}>{t(`crisis.severity.${severity}`)}</Tag>
              ),
            },
            {
              title: t('crisis.admin.col.status'),
              dataIndex: 'status',
              width: 120,
              render: (s: EscalationItem['status']) => <Tag color={STATUS_COLOR[s]}>{t(`crisis.status.${s}`)}</Tag>,
            },
            {
              title: t('crisis.admin.col.categories'),
              dataIndex: 'categories',
              render: (categories: string[]) => <CategoryTags categories={categories} />,
            },
            {
              title: t('crisis.admin.col.signals'),
              dataIndex: 'hitCount',
              width: 100,
              render: (count: number) => t('crisis.admin.signals', { count }),
            },
            {
              title: t('crisis.admin.col.doctor'),
              dataIndex: ['doctor', 'name'],
              render: (name: string) =>
                name || <Typography.Text type="secondary">{t('crisis.admin.unknownDoctor')}</Typography.Text>,
            },
            {
              title: t('crisis.admin.col.handover'),
              dataIndex: 'handover',
              render: (handover: EscalationItem['handover']) =>
                handover ? (
                  <Typography.Paragraph
                    ellipsis={{ rows: 2, tooltip: handover.note }}
                    style={{ margin: 0, maxWidth: 280 }}
                    data-testid="crisis-handover"
                  >
                    {handover.note}
                  </Typography.Paragraph>
                ) : null,
            },
            {
              title: t('crisis.admin.col.lastSignal'),
              dataIndex: 'lastSignalAt',
              width: 170,
              render: (value: string) => formatDateTime(value),
            },
            {
              title: t('crisis.admin.col.opened'),
              dataIndex: 'openedAt',
              width: 170,
              render: (value: string) => formatDateTime(value),
            },
          ]}
        />
      </Card>
    </Space>
  );
}

const KNOWN_CATEGORIES = [
  'plan',
  'means',
  'timing',
  'farewell',
  'attempt',
  'ideation',
  'hopelessness',
  'self_harm',
] as const;

/** Category labels; an operator's own category name (from an extension) is shown as it is. */
export function CategoryTags({ categories }: { categories: string[] }) {
  const t = useCrisisT();
  return (
    <Space size={4} wrap>
      {categories.map((c) => {
        const known = KNOWN_CATEGORIES.find((k) => k === c);
        return <Tag key={c}>{known ? t(`crisis.category.${known}`) : c}</Tag>;
      })}
    </Space>
  );
}
