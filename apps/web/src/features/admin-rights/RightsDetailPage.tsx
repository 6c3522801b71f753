import { REFUSAL_GROUNDS, type RefusalGround, type StaffRightsRequestDetail } from '@anxin/contracts';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Form,
  Input,
  Modal,
  Popconfirm,
  Progress,
  Select,
  Space,
  Tag,
  Timeline,
  Typography,
  type ButtonProps,
} from 'antd';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { toApiError, type ApiError } from '../../lib/api';
import { rightsAdminApi } from './api';
import { useRightsT } from './i18n';
import type { RightsAdminBundle } from './locales';
import { completesByHand, formatTime, isActionable, processable } from './model';

const testId = (id: string) => ({ 'data-testid': id }) as ButtonProps;

const FIELD_LABELS = ['displayName', 'locale', 'ageBand', 'sex'] as const;
type FieldLabel = (typeof FIELD_LABELS)[number];
const EVENT_KINDS = [
  'received',
  'withdrawn',
  'export_building',
  'export_ready',
  'processing_started',
  'completed',
  'note',
  'refused',
] as const satisfies readonly (keyof RightsAdminBundle['rightsAdmin']['event'])[];
type EventKind = (typeof EVENT_KINDS)[number];

/** RIG-7 / RIG-2 / RIG-6: one request, opened with a stated (audited) purpose, and what the officer does with it. */
export function RightsDetailPage() {
  const { id = '' } = useParams();
  const [detail, setDetail] = useState<StaffRightsRequestDetail>();
  if (!detail) return <OpenDialog id={id} onOpened={setDetail} />;
  return <Detail detail={detail} onChange={setDetail} />;
}

function OpenDialog({ id, onOpened }: { id: string; onOpened: (d: StaffRightsRequestDetail) => void }) {
  const t = useRightsT();
  const navigate = useNavigate();
  const [purpose, setPurpose] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const trimmed = purpose.trim();
  const valid = trimmed.length >= 4 && trimmed.length <= 200;

  const submit = async () => {
    setTried(true);
    if (!valid) return;
    setBusy(true);
    setError(undefined);
    try {
      onOpened(await rightsAdminApi.open(id, trimmed));
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('rightsAdmin.open.title')}
      okText={t('rightsAdmin.open.submit')}
      cancelText={t('rightsAdmin.open.cancel')}
      confirmLoading={busy}
      maskClosable={false}
      onOk={() => void submit()}
      onCancel={() => navigate('/rights')}
      okButtonProps={testId('rights-open-submit')}
    >
      <Typography.Paragraph>{t('rightsAdmin.open.body')}</Typography.Paragraph>
      <Form layout="vertical" onFinish={() => void submit()}>
        <Form.Item
          label={t('rightsAdmin.open.purpose')}
          required
          validateStatus={tried && !valid ? 'error' : undefined}
          help={tried && !valid ? t('rightsAdmin.open.required') : undefined}
        >
          <Input
            autoFocus
            data-testid="rights-open-purpose"
            maxLength={200}
            value={purpose}
            placeholder={t('rightsAdmin.open.placeholder')}
            onChange={(e) => setPurpose(e.target.value)}
            onPressEnter={() => void submit()}
          />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon message={error.message} />}
    </Modal>
  );
}

function Detail({
  detail,
  onChange,
}: {
  detail: StaffRightsRequestDetail;
  onChange: (d: StaffRightsRequestDetail) => void;
}) {
  const t = useRightsT();
  const { message } = App.useApp();
  const [dialog, setDialog] = useState<'refuse' | 'complete'>();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();
  const actionable = isActionable(detail);

  const run = async (action: () => Promise<StaffRightsRequestDetail>): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      onChange(await action());
      void message.success(t('rightsAdmin.done'));
      return true;
    } catch (err) {
      setError(toApiError(err));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const addNote = async () => {
    const text = note.trim();
    if (!text) {
      void message.error(t('rightsAdmin.note.required'));
      return;
    }
    if (await run(() => rightsAdminApi.note(detail.id, text))) setNote('');
  };

  const fieldLabel = (field: string) =>
    FIELD_LABELS.includes(field as FieldLabel) ? t(`rightsAdmin.field.${field as FieldLabel}`) : field;
  const BY = ['person', 'privacy_officer', 'support', 'admin', 'system'] as const;
  const byLabel = (by: string) =>
    (BY as readonly string[]).includes(by) ? t(`rightsAdmin.detail.by.${by as (typeof BY)[number]}`) : by;
  const eventLabel = (kind: string) =>
    EVENT_KINDS.includes(kind as EventKind) ? t(`rightsAdmin.event.${kind as EventKind}`) : kind;

  const exp = detail.export;

  return (
    <div data-testid="rights-detail">
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Link to="/rights">← {t('rightsAdmin.detail.back')}</Link>
        <Space wrap align="center">
          <Typography.Title level={3} style={{ margin: 0 }}>
            {t('rightsAdmin.detail.title', { kind: t(`rightsAdmin.kind.${detail.kind}`) })}
          </Typography.Title>
          <Tag
            data-testid="rights-status"
            color={detail.status === 'completed' ? 'green' : detail.status === 'refused' ? 'red' : 'blue'}
          >
            {t(`rightsAdmin.status.${detail.status}`)}
          </Tag>
          {detail.flaggedRepeat && <Tag color="gold">{t('rightsAdmin.queue.repeat')}</Tag>}
        </Space>
        {detail.flaggedRepeat && <Alert type="info" showIcon message={t('rightsAdmin.detail.repeat')} />}
        {error && <Alert type="error" showIcon closable message={error.message} onClose={() => setError(undefined)} />}

        <Card>
          <Descriptions column={1} bordered size="small">
            <Descriptions.Item label={t('rightsAdmin.detail.id')}>{detail.id}</Descriptions.Item>
            <Descriptions.Item label={t('rightsAdmin.queue.col.app')}>
              {t(`rightsAdmin.app.${detail.app}`)}
            </Descriptions.Item>
            <Descriptions.Item label={t('rightsAdmin.detail.subject')}>{detail.subjectId}</Descriptions.Item>
            <Descriptions.Item label={t('rightsAdmin.queue.col.received')}>
              {formatTime(detail.receivedAt)}
            </Descriptions.Item>
            <Descriptions.Item label={t('rightsAdmin.queue.col.due')}>
              <Space size={4}>
                <span>{detail.dueOn}</span>
                {detail.dueProvisional && <Tag>{t('rightsAdmin.queue.provisional')}</Tag>}
              </Space>
            </Descriptions.Item>
            {detail.erasureScope && (
              <Descriptions.Item label={t('rightsAdmin.detail.scope')}>
                {t(`rightsAdmin.scope.${detail.erasureScope}`)}
              </Descriptions.Item>
            )}
            {detail.decision && (
              <Descriptions.Item label={t('rightsAdmin.detail.decision')}>
                {t(`rightsAdmin.decision.${detail.decision}`)}
              </Descriptions.Item>
            )}
            <Descriptions.Item label={t('rightsAdmin.detail.details')}>
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                {detail.details ?? t('rightsAdmin.detail.none')}
              </Typography.Paragraph>
            </Descriptions.Item>
            <Descriptions.Item label={t('rightsAdmin.detail.verification')}>
              {t(`rightsAdmin.verification.${detail.verification}`)}
            </Descriptions.Item>
            {detail.verificationNote && (
              <Descriptions.Item label={t('rightsAdmin.detail.verificationNote')}>
                {detail.verificationNote}
              </Descriptions.Item>
            )}
            {exp && (
              <Descriptions.Item label={t('rightsAdmin.detail.export')}>
                <Space direction="vertical" size={4}>
                  <span>{t(`rightsAdmin.exportState.${exp.state}`, { progress: exp.progress })}</span>
                  {exp.state === 'building' && <Progress percent={exp.progress} size="small" />}
                  {exp.expiresAt && <Typography.Text type="secondary">{formatTime(exp.expiresAt)}</Typography.Text>}
                </Space>
              </Descriptions.Item>
            )}
            {detail.response && (
              <Descriptions.Item label={t('rightsAdmin.detail.response')}>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', margin: 0 }}>
                  {detail.response}
                </Typography.Paragraph>
              </Descriptions.Item>
            )}
            {detail.refusal && (
              <Descriptions.Item label={t('rightsAdmin.detail.refusal')}>
                <Space direction="vertical" size={4}>
                  <Typography.Text strong>{t(`rightsAdmin.ground.${detail.refusal.ground}`)}</Typography.Text>
                  <span style={{ whiteSpace: 'pre-wrap' }}>{detail.refusal.reason}</span>
                </Space>
              </Descriptions.Item>
            )}
            {detail.completedAt && (
              <Descriptions.Item label={t('rightsAdmin.detail.completedAt')}>
                {formatTime(detail.completedAt)}
              </Descriptions.Item>
            )}
          </Descriptions>
          {detail.certificateReady && (
            <div style={{ marginTop: 12 }}>
              <a href={rightsAdminApi.certificateUrl(detail.id)} download>
                {t('rightsAdmin.detail.certificate')}
              </a>
            </div>
          )}
        </Card>

        {actionable ? (
          <Card>
            <Space wrap>
              {completesByHand(detail) && (
                <Button type="primary" data-testid="rights-complete" onClick={() => setDialog('complete')}>
                  {t('rightsAdmin.complete.button')}
                </Button>
              )}
              {processable(detail) && (
                <Popconfirm
                  title={
                    detail.kind === 'cancellation'
                      ? t('rightsAdmin.process.confirmCancellation')
                      : t('rightsAdmin.process.confirm')
                  }
                  okText={t('rightsAdmin.process.ok')}
                  okButtonProps={{ danger: detail.kind === 'cancellation' }}
                  onConfirm={() => run(() => rightsAdminApi.process(detail.id))}
                >
                  <Button type="primary" loading={busy} data-testid="rights-process">
                    {t('rightsAdmin.process.button')}
                  </Button>
                </Popconfirm>
              )}
              <Button danger data-testid="rights-refuse" onClick={() => setDialog('refuse')}>
                {t('rightsAdmin.refuse.button')}
              </Button>
            </Space>
            <Form layout="vertical" style={{ marginTop: 16 }} onFinish={() => void addNote()}>
              <Form.Item label={t('rightsAdmin.note.label')}>
                <Input.TextArea
                  data-testid="rights-note"
                  rows={2}
                  maxLength={2000}
                  value={note}
                  placeholder={t('rightsAdmin.note.placeholder')}
                  onChange={(e) => setNote(e.target.value)}
                />
              </Form.Item>
              <Button htmlType="submit" loading={busy} data-testid="rights-note-submit">
                {t('rightsAdmin.note.submit')}
              </Button>
            </Form>
          </Card>
        ) : (
          <Alert type="info" message={t('rightsAdmin.detail.closed')} />
        )}

        <Card title={t('rightsAdmin.detail.events')}>
          <Timeline
            items={detail.events.map((e) => ({
              children: (
                <div>
                  <Typography.Text strong>{eventLabel(e.kind)}</Typography.Text>{' '}
                  <Typography.Text type="secondary">
                    {formatTime(e.at)} · {byLabel(e.by)}
                  </Typography.Text>
                  {e.note && <div style={{ whiteSpace: 'pre-wrap' }}>{e.note}</div>}
                </div>
              ),
            }))}
          />
        </Card>
      </Space>

      {dialog === 'refuse' && (
        <RefuseDialog
          onClose={() => setDialog(undefined)}
          onSubmit={async (ground, reason) => run(() => rightsAdminApi.refuse(detail.id, { ground, reason }))}
          error={error}
        />
      )}
      {dialog === 'complete' && (
        <CompleteDialog
          detail={detail}
          fieldLabel={fieldLabel}
          onClose={() => setDialog(undefined)}
          onSubmit={async (body) => run(() => rightsAdminApi.complete(detail.id, body))}
          error={error}
        />
      )}
    </div>
  );
}

function RefuseDialog({
  onClose,
  onSubmit,
  error,
}: {
  onClose: () => void;
  onSubmit: (ground: RefusalGround, reason: string) => Promise<boolean>;
  error: ApiError | undefined;
}) {
  const t = useRightsT();
  const [form] = Form.useForm<{ ground: RefusalGround; reason: string }>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const values = await form.validateFields().catch(() => undefined);
    if (!values) return;
    setBusy(true);
    const ok = await onSubmit(values.ground, values.reason.trim());
    setBusy(false);
    if (ok) onClose();
  };

  return (
    <Modal
      open
      title={t('rightsAdmin.refuse.title')}
      okText={t('rightsAdmin.refuse.submit')}
      okButtonProps={{ ...testId('rights-refuse-submit'), danger: true }}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onClose}
      maskClosable={false}
      width={640}
    >
      <Typography.Paragraph type="secondary">{t('rightsAdmin.refuse.intro')}</Typography.Paragraph>
      <Form form={form} layout="vertical">
        <Form.Item
          name="ground"
          label={t('rightsAdmin.refuse.ground')}
          rules={[{ required: true, message: t('rightsAdmin.refuse.groundRequired') }]}
        >
          <Select
            data-testid="rights-refuse-ground"
            options={REFUSAL_GROUNDS.map((g) => ({ value: g, label: t(`rightsAdmin.ground.${g}`) }))}
            optionRender={(o) => <span style={{ whiteSpace: 'normal' }}>{o.label}</span>}
            popupMatchSelectWidth
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('rightsAdmin.refuse.reason')}
          extra={t('rightsAdmin.refuse.reasonHint')}
          rules={[
            {
              required: true,
              validator: (_, v: string | undefined) => {
                const n = (v ?? '').trim().length;
                return n >= 4 && n <= 1000
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('rightsAdmin.refuse.reasonRequired')));
              },
            },
          ]}
        >
          <Input.TextArea data-testid="rights-refuse-reason" rows={4} maxLength={1000} showCount />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon message={error.message} />}
    </Modal>
  );
}

function CompleteDialog({
  detail,
  fieldLabel,
  onClose,
  onSubmit,
  error,
}: {
  detail: StaffRightsRequestDetail;
  fieldLabel: (field: string) => string;
  onClose: () => void;
  onSubmit: (body: { response: string; correction?: { field: string; value: string } }) => Promise<boolean>;
  error: ApiError | undefined;
}) {
  const t = useRightsT();
  const [form] = Form.useForm<{ field?: string; value?: string; response: string }>();
  const [busy, setBusy] = useState(false);
  const correction = detail.kind === 'correction';
  const hasFields = correction && detail.correctable.length > 0;
  const field = Form.useWatch('field', form);

  const submit = async () => {
    const values = await form.validateFields().catch(() => undefined);
    if (!values) return;
    setBusy(true);
    const body: { response: string; correction?: { field: string; value: string } } = {
      response: values.response.trim(),
    };
    if (values.field) body.correction = { field: values.field, value: (values.value ?? '').trim() };
    const ok = await onSubmit(body);
    setBusy(false);
    if (ok) onClose();
  };

  return (
    <Modal
      open
      title={t('rightsAdmin.complete.title')}
      okText={t('rightsAdmin.complete.submit')}
      okButtonProps={testId('rights-complete-submit')}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onClose}
      maskClosable={false}
      width={640}
    >
      <Form form={form} layout="vertical">
        {correction && !hasFields && (
          <Alert type="info" style={{ marginBottom: 16 }} message={t('rightsAdmin.complete.noFields')} />
        )}
        {hasFields && (
          <>
            <Form.Item name="field" label={t('rightsAdmin.complete.field')}>
              <Select
                allowClear
                data-testid="rights-correction-field"
                options={detail.correctable.map((f) => ({ value: f, label: fieldLabel(f) }))}
              />
            </Form.Item>
            <Form.Item
              name="value"
              label={t('rightsAdmin.complete.value')}
              rules={[{ required: !!field, whitespace: true, message: t('rightsAdmin.complete.valueRequired') }]}
            >
              <Input data-testid="rights-correction-value" maxLength={200} disabled={!field} />
            </Form.Item>
          </>
        )}
        <Form.Item
          name="response"
          label={t('rightsAdmin.complete.response')}
          extra={t('rightsAdmin.complete.responseHint')}
          rules={[
            {
              required: true,
              validator: (_, v: string | undefined) => {
                const n = (v ?? '').trim().length;
                return n >= 4 && n <= 4000
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('rightsAdmin.complete.responseRequired')));
              },
            },
          ]}
        >
          <Input.TextArea data-testid="rights-response" rows={5} maxLength={4000} showCount />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon message={error.message} />}
    </Modal>
  );
}
