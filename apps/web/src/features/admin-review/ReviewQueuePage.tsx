import type { ReviewQueue } from '@anxin/contracts';
import { Alert, Button, Card, Segmented, Space, Switch, Tag, Tooltip, Typography } from 'antd';
import { useNavigate, useSearchParams } from 'react-router';
import { reviewApi, type ReviewStatusFilter } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/hooks';
import { Forbidden } from '../admin/Forbidden';
import { QueueTable } from '../admin/QueueTable';
import { OVERDUE_HOURS, waitingText } from './model';
import { useReviewT } from './text';

type Item = ReviewQueue['items'][number];

const FILTERS: readonly ReviewStatusFilter[] = ['pending', 'changes_requested', 'approved', 'rejected', 'all'];
const STATUS_COLOR: Record<Item['status'], string> = {
  draft: 'default',
  submitted: 'processing',
  changes_requested: 'warning',
  approved: 'success',
  rejected: 'error',
};

function parseFilter(value: string | null): ReviewStatusFilter {
  return FILTERS.find((f) => f === value) ?? 'pending';
}

/** ONB-4: applications waiting for a reviewer, oldest first as the server sends them. */
export function ReviewQueuePage() {
  const rt = useReviewT();
  const navigate = useNavigate();
  // Filters live in the URL (no personal data) so "back" from a detail returns to the same view.
  const [params, setParams] = useSearchParams();
  const status = parseFilter(params.get('status'));
  const flaggedOnly = params.get('flagged') === 'true';
  const { data, error, loading, reload } = useResource(
    () => reviewApi.queue(status, flaggedOnly),
    [status, flaggedOnly],
  );

  if (error?.status === 403) return <Forbidden detail={rt('forbidden')} />;

  const setFilter = (next: { status?: ReviewStatusFilter; flagged?: boolean }) => {
    const s = next.status ?? status;
    const f = next.flagged ?? flaggedOnly;
    const search = new URLSearchParams();
    if (s !== 'pending') search.set('status', s);
    if (f) search.set('flagged', 'true');
    setParams(search, { replace: true });
  };

  const open = (id: string) => navigate(`/reviews/${encodeURIComponent(id)}`);
  const items = data?.items ?? [];

  // Never claim "no applications" when the list simply failed to load.
  const empty = error
    ? { title: error.message, hint: rt('queue.loadFailed') }
    : flaggedOnly
      ? { title: rt('queue.empty.flagged'), hint: rt('queue.empty.flaggedHint') }
      : status === 'pending'
        ? { title: rt('queue.empty.pending'), hint: rt('queue.empty.pendingHint') }
        : { title: rt('queue.empty.other'), hint: rt('queue.empty.otherHint') };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <div className="ax-admin-page-head">
        <div>
          <Typography.Title level={3} style={{ margin: 0 }}>
            {rt('queue.title')}
          </Typography.Title>
          <Typography.Text type="secondary">{rt('queue.intro')}</Typography.Text>
        </div>
        <Button onClick={() => void reload()} loading={loading} data-testid="review-refresh">
          {rt('queue.refresh')}
        </Button>
      </div>

      <div className="ax-review-filters">
        <Segmented<ReviewStatusFilter>
          value={status}
          onChange={(value) => setFilter({ status: value })}
          options={FILTERS.map((f) => ({
            value: f,
            label: <span data-testid={`review-filter-status-${f}`}>{rt(`queue.filter.${f}`)}</span>,
          }))}
          data-testid="review-filter-status"
        />
        <label className="ax-review-switch">
          <Switch
            checked={flaggedOnly}
            onChange={(checked) => setFilter({ flagged: checked })}
            data-testid="review-filter-flagged"
          />
          <span>{rt('queue.flaggedOnly')}</span>
        </label>
      </div>

      {error && (
        <Alert
          type="error"
          showIcon
          title={error.message}
          description={rt('queue.loadFailed')}
          data-testid="load-error"
        />
      )}

      <Card
        title={data ? rt('queue.count', { count: items.length }) : undefined}
        extra={items.length > 0 ? <Typography.Text type="secondary">{rt('queue.openHint')}</Typography.Text> : null}
      >
        <QueueTable<Item>
          testId="review"
          items={items}
          loading={loading && !data}
          empty={empty}
          onOpen={open}
          rowData={(item) => ({ 'data-application-id': item.id })}
          columns={[
            {
              title: rt('queue.col.name'),
              dataIndex: 'name',
              render: (name: string, item) => (
                <Space size={6} wrap>
                  <Typography.Text strong>{name || rt('queue.unknown')}</Typography.Text>
                  {item.resubmission && (
                    <Tag color="blue" data-testid="review-resubmission">
                      {rt('queue.resubmission')}
                    </Tag>
                  )}
                </Space>
              ),
            },
            {
              title: rt('queue.col.type'),
              dataIndex: 'practitionerType',
              width: 130,
              render: (type: Item['practitionerType']) =>
                type ? (
                  rt(`practitionerType.${type}`)
                ) : (
                  <Typography.Text type="secondary">{rt('queue.unknown')}</Typography.Text>
                ),
            },
            {
              title: rt('queue.col.hospital'),
              dataIndex: 'hospital',
              ellipsis: true,
              render: (hospital: string | null) =>
                hospital ?? <Typography.Text type="secondary">{rt('queue.unknown')}</Typography.Text>,
            },
            {
              title: rt('queue.col.submittedAt'),
              dataIndex: 'submittedAt',
              width: 160,
              render: (value: string) => formatDateTime(value),
            },
            {
              title: rt('queue.col.waiting'),
              dataIndex: 'waitingHours',
              width: 170,
              render: (hours: number, item) => {
                if (item.status !== 'submitted') return <Typography.Text type="secondary">—</Typography.Text>;
                const { key, vars } = waitingText(hours);
                const overdue = hours > OVERDUE_HOURS;
                const text = (
                  <Typography.Text
                    type={overdue ? 'danger' : undefined}
                    strong={overdue}
                    data-testid="review-waiting"
                    data-overdue={overdue ? 'true' : 'false'}
                  >
                    {rt(key, vars)}
                  </Typography.Text>
                );
                return overdue ? <Tooltip title={rt('queue.overdue')}>{text}</Tooltip> : text;
              },
            },
            {
              title: rt('queue.col.precheck'),
              dataIndex: 'flags',
              width: 120,
              render: (flags: number) => (
                <Tag color={flags === 0 ? 'success' : 'warning'} data-testid="review-flags" data-flags={flags}>
                  {flags === 0 ? rt('queue.precheckPass') : rt('queue.precheckFlags', { count: flags })}
                </Tag>
              ),
            },
            ...(status === 'all'
              ? [
                  {
                    title: rt('queue.col.status'),
                    dataIndex: 'status',
                    width: 150,
                    render: (value: Item['status']) => <Tag color={STATUS_COLOR[value]}>{rt(`status.${value}`)}</Tag>,
                  },
                ]
              : []),
          ]}
        />
      </Card>
    </Space>
  );
}
