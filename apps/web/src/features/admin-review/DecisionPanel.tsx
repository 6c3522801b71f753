import type { DecisionBody, ReasonTemplates, ReviewDetail } from '@anxin/contracts';
import { Alert, Button, Card, Input, Modal, Select, Space, Spin, Tag, Typography, type ButtonProps } from 'antd';
import { useState } from 'react';
import { reviewApi, toApiError, type ApiError } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useResource, type Resource } from '../../lib/hooks';
import { pick, useReviewT } from './text';

export type Decision = DecisionBody['decision'];
type Template = ReasonTemplates['templates'][number];

const DECISIONS: readonly Decision[] = ['approve', 'request_changes', 'reject'];
const MIN_TEXT = 2;
const MAX_TEXT = 1000;

/** The three decisions for a submitted application; each opens a dialog asking for the reason. */
export function DecisionPanel({
  detail,
  onDecided,
  onStale,
}: {
  detail: ReviewDetail;
  onDecided: (next: ReviewDetail, decision: Decision) => void;
  onStale: () => void;
}) {
  const rt = useReviewT();
  const reasons = useResource(() => reviewApi.reasons(), []);
  const [open, setOpen] = useState<Decision>();

  return (
    <Card title={rt('decision.title')} size="small">
      <div data-testid="decision-panel">
        <Typography.Paragraph type="secondary">{rt('decision.intro')}</Typography.Paragraph>
        <div className="ax-review-decisions">
          {DECISIONS.map((decision) => (
            <Button
              key={decision}
              type={decision === 'approve' ? 'primary' : 'default'}
              danger={decision === 'reject'}
              onClick={() => setOpen(decision)}
              data-testid={`decision-${decision}`}
            >
              {rt(`decision.${decision}`)}
            </Button>
          ))}
        </div>
      </div>
      {open && (
        <DecisionDialog
          key={open}
          detail={detail}
          decision={open}
          reasons={reasons}
          onClose={() => setOpen(undefined)}
          onDecided={(next) => {
            setOpen(undefined);
            onDecided(next, open);
          }}
          onStale={() => {
            setOpen(undefined);
            onStale();
          }}
        />
      )}
    </Card>
  );
}

function DecisionDialog({
  detail,
  decision,
  reasons,
  onClose,
  onDecided,
  onStale,
}: {
  detail: ReviewDetail;
  decision: Decision;
  reasons: Resource<ReasonTemplates>;
  onClose: () => void;
  onDecided: (next: ReviewDetail) => void;
  onStale: () => void;
}) {
  const rt = useReviewT();
  const [code, setCode] = useState<string>();
  const [text, setText] = useState('');
  /** The suggested text last put into the box, to tell whether the reviewer has edited it since. */
  const [suggested, setSuggested] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  const templates: Template[] = (reasons.data?.templates ?? []).filter((tpl) => tpl.decision === decision);
  const chosen = templates.find((tpl) => tpl.code === code);
  const trimmed = text.trim();
  const textOk = trimmed.length >= MIN_TEXT;
  const edited = text !== suggested && text.trim() !== '';

  const choose = (next: string) => {
    setCode(next);
    const tpl = templates.find((x) => x.code === next);
    if (!tpl) return;
    const fill = pick(tpl.suggestedText);
    // Never overwrite what the reviewer wrote themselves; offer the suggestion instead.
    if (!edited) {
      setText(fill);
      setSuggested(fill);
    }
  };

  const confirm = async () => {
    setTried(true);
    if (!code || !textOk) return;
    setBusy(true);
    setError(undefined);
    try {
      onDecided(await reviewApi.decide(detail.id, { decision, reasonCode: code, reasonText: trimmed }));
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const stale = error?.code === 'APPLICATION_NOT_PENDING';
  const name = detail.form.basic?.name ?? '—';

  return (
    <Modal
      open
      title={rt(`decision.dialogTitle.${decision}`)}
      onCancel={onClose}
      onOk={() => void confirm()}
      okText={rt(`decision.confirm.${decision}`)}
      okButtonProps={
        {
          loading: busy,
          danger: decision === 'reject',
          disabled: stale,
          'data-testid': 'decision-confirm',
        } as ButtonProps
      }
      cancelButtonProps={{ disabled: busy }}
      width={560}
      destroyOnHidden
      mask={{ closable: !busy }}
    >
      <div data-testid="decision-dialog" data-decision={decision}>
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <div>
            <Typography.Text strong>{rt('decision.applicant', { name })}</Typography.Text>
            <div>
              <Typography.Text type="secondary">{rt(`decision.consequence.${decision}`)}</Typography.Text>
            </div>
          </div>

          <div>
            <label className="ax-review-dialog-label" htmlFor="ax-decision-reason">
              <Typography.Text strong>{rt('decision.reasonLabel')}</Typography.Text>
            </label>
            {reasons.loading && !reasons.data ? (
              <Space>
                <Spin size="small" />
                <Typography.Text type="secondary">{rt('decision.reasonsLoading')}</Typography.Text>
              </Space>
            ) : reasons.error && !reasons.data ? (
              <Alert
                type="error"
                showIcon
                title={reasons.error.message}
                description={rt('decision.reasonsFailed')}
                action={
                  <Button size="small" onClick={() => void reasons.reload()}>
                    {rt('decision.retry')}
                  </Button>
                }
                data-testid="decision-reasons-error"
              />
            ) : templates.length === 0 ? (
              <Alert type="warning" showIcon title={rt('decision.reasonsEmpty')} />
            ) : (
              <Select<string>
                id="ax-decision-reason"
                value={code}
                onChange={choose}
                placeholder={rt('decision.reasonPlaceholder')}
                options={templates.map((tpl) => ({
                  value: tpl.code,
                  label: <span data-testid={`decision-reason-option-${tpl.code}`}>{pick(tpl.label)}</span>,
                  title: pick(tpl.label),
                }))}
                style={{ width: '100%' }}
                status={tried && !code ? 'error' : undefined}
                data-testid="decision-reason-select"
              />
            )}
            {tried && !code && templates.length > 0 && (
              <Typography.Text type="danger">{rt('decision.reasonRequired')}</Typography.Text>
            )}
          </div>

          <div className="ax-review-textarea">
            <div className="ax-review-dialog-label">
              <label htmlFor="ax-decision-text">
                <Typography.Text strong>{rt('decision.textLabel')}</Typography.Text>
              </label>
              {chosen && edited && text !== pick(chosen.suggestedText) && (
                <Button
                  type="link"
                  size="small"
                  onClick={() => {
                    const fill = pick(chosen.suggestedText);
                    setText(fill);
                    setSuggested(fill);
                  }}
                  data-testid="decision-use-suggested"
                >
                  {rt('decision.useSuggested')}
                </Button>
              )}
            </div>
            <Input.TextArea
              id="ax-decision-text"
              value={text}
              onChange={(e) => setText(e.target.value)}
              rows={5}
              maxLength={MAX_TEXT}
              showCount
              placeholder={rt('decision.textPlaceholder')}
              status={tried && !textOk ? 'error' : undefined}
              data-testid="decision-reason-text"
            />
            {tried && !textOk && <Typography.Text type="danger">{rt('decision.textRequired')}</Typography.Text>}
          </div>

          {error && (
            <Alert
              type="error"
              showIcon
              title={stale ? rt('decision.notPending') : error.message}
              action={
                stale ? (
                  <Button size="small" onClick={onStale}>
                    {rt('decision.refresh')}
                  </Button>
                ) : undefined
              }
              data-testid="decision-error"
            />
          )}
        </Space>
      </div>
    </Modal>
  );
}

/** What was decided (or why nothing can be decided yet), in place of the decision buttons. */
export function DecisionResult({ detail, justDecided }: { detail: ReviewDetail; justDecided?: Decision }) {
  const rt = useReviewT();
  if (detail.status === 'submitted') return null;
  if (detail.status === 'draft') {
    return (
      <Card title={rt('decision.title')} size="small">
        <div data-testid="decision-unavailable">
          <Typography.Text strong>{rt('decision.result.draft')}</Typography.Text>
          <div>
            <Typography.Text type="secondary">{rt('decision.result.draftHint')}</Typography.Text>
          </div>
        </div>
      </Card>
    );
  }
  const last = [...detail.timeline].reverse().find((e) => e.kind === detail.status);
  const color = detail.status === 'approved' ? 'success' : detail.status === 'rejected' ? 'error' : 'warning';
  return (
    <Card title={rt('decision.title')} size="small">
      <div data-testid="decision-result" data-status={detail.status}>
        <Space orientation="vertical" size="small" style={{ width: '100%' }}>
          {justDecided && <Alert type="success" showIcon title={rt(`decision.done.${justDecided}`)} />}
          <div>
            <Tag color={color} className="ax-review-result-tag">
              {rt(`decision.result.${detail.status}`)}
            </Tag>
          </div>
          {last && (
            <>
              <Typography.Text type="secondary">
                {rt('decision.result.at', { time: formatDateTime(last.at) })}
              </Typography.Text>
              {last.reasonLabel && (
                <Typography.Text>{rt('timeline.reason', { label: pick(last.reasonLabel) })}</Typography.Text>
              )}
              {last.reasonText && <blockquote className="ax-review-quote">{last.reasonText}</blockquote>}
            </>
          )}
        </Space>
      </div>
    </Card>
  );
}
