import type { EscalationDetail } from '@anxin/contracts';
import { Alert, App, Button, Card, Descriptions, Input, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { crisisApi, toApiError, type ApiError } from '../../../lib/api';
import { formatDateTime } from '../../../lib/format';
import { useResource } from '../../../lib/hooks';
import { DetailPending } from '../../admin/DetailPending';
import { Forbidden } from '../../admin/Forbidden';
import { useCrisisT } from '../i18n';
import { CategoryTags, SEVERITY_COLOR, STATUS_COLOR } from './EscalationsPage';

type Hit = EscalationDetail['hits'][number];
const CONSULTATION_STATUSES = ['requested', 'active', 'declined', 'ended'] as const;

/** `/crisis/:id` — one escalation: kinds of signal per message number (never text), and closing with a note. */
export function EscalationDetailPage() {
  const { id = '' } = useParams();
  return <DetailView key={id} id={id} />;
}

function DetailView({ id }: { id: string }) {
  const t = useCrisisT();
  const { message } = App.useApp();
  const { data, error, loading, reload } = useResource(() => crisisApi.escalation(id), [id]);
  const [closed, setClosed] = useState<EscalationDetail>();
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string>();
  const [closing, setClosing] = useState(false);
  const [closeError, setCloseError] = useState<ApiError>();

  if (error?.status === 403) return <Forbidden detail={t('crisis.admin.forbidden')} />;
  const back = (
    <Link to="/crisis" data-testid="crisis-back">
      {`← ${t('crisis.admin.detail.back')}`}
    </Link>
  );
  const detail = closed ?? data;
  if (!detail) {
    return (
      <DetailPending
        error={error}
        loading={loading}
        reload={reload}
        back={back}
        text={{
          loading: t('crisis.admin.detail.loading'),
          loadFailed: t('crisis.admin.detail.loadFailed'),
          retry: t('crisis.admin.detail.retry'),
        }}
      />
    );
  }

  const close = async () => {
    if (note.trim().length < 2) {
      setNoteError(t('crisis.admin.close.required'));
      return;
    }
    setClosing(true);
    setCloseError(undefined);
    try {
      setClosed(await crisisApi.close(id, note.trim()));
      setNote('');
      void message.success(t('crisis.admin.close.done'));
    } catch (err) {
      setCloseError(toApiError(err));
    } finally {
      setClosing(false);
    }
  };

  const consultationStatus = CONSULTATION_STATUSES.find((s) => s === detail.consultationStatus);

  return (
    <div data-testid="crisis-detail" data-escalation-id={detail.id} data-status={detail.status}>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {back}
        <div className="ax-admin-page-head">
          <Space size="small" wrap align="center">
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('crisis.admin.detail.title')}
            </Typography.Title>
            <Tag color={SEVERITY_COLOR[detail.severity]}>{t(`crisis.severity.${detail.severity}`)}</Tag>
            <Tag color={STATUS_COLOR[detail.status]} data-testid="crisis-status">
              {t(`crisis.status.${detail.status}`)}
            </Tag>
          </Space>
        </div>
        <Alert type="info" showIcon title={t('crisis.admin.detail.noText')} />

        <Card>
          <Descriptions column={2} size="middle">
            <Descriptions.Item label={t('crisis.admin.detail.consultation')}>
              <Typography.Text code copyable>
                {detail.consultationId}
              </Typography.Text>
            </Descriptions.Item>
            <Descriptions.Item label={t('crisis.admin.detail.consultationStatus')}>
              {consultationStatus
                ? t(`crisis.admin.consultationStatus.${consultationStatus}`)
                : detail.consultationStatus}
            </Descriptions.Item>
            <Descriptions.Item label={t('crisis.admin.detail.doctor')}>
              {detail.doctor.name || t('crisis.admin.unknownDoctor')}
            </Descriptions.Item>
            <Descriptions.Item label={t('crisis.admin.col.categories')}>
              <CategoryTags categories={detail.categories} />
            </Descriptions.Item>
            <Descriptions.Item label={t('crisis.admin.detail.opened')}>
              {formatDateTime(detail.openedAt)}
            </Descriptions.Item>
            <Descriptions.Item label={t('crisis.admin.detail.lastSignal')}>
              {formatDateTime(detail.lastSignalAt)}
            </Descriptions.Item>
            <Descriptions.Item label={t('crisis.admin.detail.acknowledged')}>
              {detail.acknowledgedAt ? (
                formatDateTime(detail.acknowledgedAt)
              ) : (
                <Typography.Text type="warning">{t('crisis.admin.detail.notAcknowledged')}</Typography.Text>
              )}
            </Descriptions.Item>
            {detail.closedAt && (
              <Descriptions.Item label={t('crisis.admin.detail.closed')}>
                {t('crisis.admin.detail.closedAt', { time: formatDateTime(detail.closedAt) })}
              </Descriptions.Item>
            )}
            {detail.handover && (
              <Descriptions.Item label={t('crisis.admin.detail.handover')} span={2}>
                <Typography.Text type="secondary">
                  {t('crisis.admin.detail.handoverAt', { time: formatDateTime(detail.handover.at) })}
                </Typography.Text>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} data-testid="crisis-handover-note">
                  {detail.handover.note}
                </Typography.Paragraph>
              </Descriptions.Item>
            )}
            {detail.closeNote && (
              <Descriptions.Item label={t('crisis.admin.detail.note')} span={2}>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }} data-testid="crisis-note">
                  {detail.closeNote}
                </Typography.Paragraph>
              </Descriptions.Item>
            )}
          </Descriptions>
        </Card>

        <Card title={t('crisis.admin.detail.hits')}>
          <Table<Hit>
            rowKey={(h) => `${h.seq}`}
            size="small"
            dataSource={detail.hits}
            pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
            columns={[
              { title: t('crisis.admin.detail.hitSeq'), dataIndex: 'seq', width: 110 },
              {
                title: t('crisis.admin.detail.hitAt'),
                dataIndex: 'at',
                width: 170,
                render: (value: string) => formatDateTime(value),
              },
              {
                title: t('crisis.admin.detail.hitSeverity'),
                dataIndex: 'severity',
                width: 90,
                render: (s: Hit['severity']) => <Tag color={SEVERITY_COLOR[s]}>{t(`crisis.severity.${s}`)}</Tag>,
              },
              {
                title: t('crisis.admin.detail.hitCategories'),
                dataIndex: 'categories',
                render: (categories: string[]) => <CategoryTags categories={categories} />,
              },
              {
                title: t('crisis.admin.detail.hitRules'),
                dataIndex: 'ruleIds',
                render: (ids: string[]) => (
                  <Space size={4} wrap>
                    {ids.map((r) => (
                      <Typography.Text key={r} code className="ax-crisis-rule">
                        {r}
                      </Typography.Text>
                    ))}
                  </Space>
                ),
              },
            ]}
          />
        </Card>

        {detail.status !== 'closed' && (
          <Card title={t('crisis.admin.close.title')} data-testid="crisis-close">
            <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
              <Typography.Text type="secondary">{t('crisis.admin.close.hint')}</Typography.Text>
              {detail.status === 'open' && (
                <Alert type="warning" showIcon title={t('crisis.admin.close.unacknowledged')} />
              )}
              <Input.TextArea
                value={note}
                onChange={(e) => {
                  setNote(e.target.value);
                  setNoteError(undefined);
                }}
                rows={3}
                maxLength={1000}
                showCount
                placeholder={t('crisis.admin.close.placeholder')}
                status={noteError ? 'error' : undefined}
                aria-invalid={noteError ? true : undefined}
                data-testid="crisis-close-note"
              />
              {noteError && <Typography.Text type="danger">{noteError}</Typography.Text>}
              {closeError && <Alert type="error" showIcon title={closeError.message} />}
              <Button
                type="primary"
                danger
                loading={closing}
                onClick={() => void close()}
                data-testid="crisis-close-submit"
              >
                {t('crisis.admin.close.submit')}
              </Button>
            </Space>
          </Card>
        )}
      </Space>
    </div>
  );
}
