import type { PhotoSlot, ReviewDetail, RevealField, RevealPurpose, RevealReply } from '@anxin/contracts';
import { Alert, Checkbox, Modal, Radio, Space, Typography, type ButtonProps } from 'antd';
import { useState } from 'react';
import { reviewApi, toApiError, type ApiError } from '../../lib/api';
import { revealableFields } from './model';
import { useReviewT, type ReviewKey } from './text';

const PURPOSES: readonly RevealPurpose[] = [
  'credential_verification',
  'duplicate_investigation',
  'regulatory_inspection',
];

function fieldLabel(field: RevealField): ReviewKey {
  if (field.startsWith('photo:')) return `photoSlot.${field.slice('photo:'.length) as PhotoSlot}`;
  return `reveal.field.${field as 'id_number' | 'practice_cert_no' | 'qualification_cert_no'}`;
}

/**
 * Asks which fields to show and why, then `POST …/reveal` (audited server side with reviewer, purpose and fields).
 * Mount it fresh for each opening (`key`) so nothing chosen last time is pre-selected by accident.
 */
export function RevealDialog({
  detail,
  initialFields,
  onClose,
  onRevealed,
}: {
  detail: ReviewDetail;
  initialFields: readonly RevealField[];
  onClose: () => void;
  onRevealed: (reply: RevealReply) => void;
}) {
  const rt = useReviewT();
  const available = revealableFields(detail);
  const [fields, setFields] = useState<RevealField[]>(() => available.filter((f) => initialFields.includes(f)));
  const [purpose, setPurpose] = useState<RevealPurpose>();
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  const numbers = available.filter((f) => !f.startsWith('photo:'));
  const photos = available.filter((f) => f.startsWith('photo:'));

  const confirm = async () => {
    setTried(true);
    if (fields.length === 0 || !purpose) return;
    setBusy(true);
    setError(undefined);
    try {
      const reply = await reviewApi.reveal(detail.id, { fields, purpose });
      onRevealed(reply);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const toggle = (field: RevealField, on: boolean) =>
    setFields((list) => (on ? [...list.filter((f) => f !== field), field] : list.filter((f) => f !== field)));

  const renderGroup = (group: RevealField[]) =>
    group.map((field) => (
      <Checkbox
        key={field}
        checked={fields.includes(field)}
        onChange={(e) => toggle(field, e.target.checked)}
        data-testid={`reveal-field-${field}`}
      >
        {rt(fieldLabel(field))}
      </Checkbox>
    ));

  const allChosen = available.length > 0 && available.every((f) => fields.includes(f));

  return (
    <Modal
      open
      title={rt('reveal.title')}
      onCancel={onClose}
      onOk={() => void confirm()}
      okText={rt('reveal.confirm')}
      okButtonProps={
        { loading: busy, disabled: available.length === 0, 'data-testid': 'reveal-confirm' } as ButtonProps
      }
      cancelButtonProps={{ disabled: busy }}
      width={560}
      destroyOnHidden
      mask={{ closable: !busy }}
    >
      <div data-testid="reveal-dialog">
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Typography.Text type="secondary">{rt('reveal.intro')}</Typography.Text>

          {available.length === 0 ? (
            <Alert type="info" showIcon title={rt('reveal.noFields')} />
          ) : (
            <div>
              <div className="ax-review-dialog-label">
                <Typography.Text strong>{rt('reveal.fieldsLabel')}</Typography.Text>
                <Checkbox
                  checked={allChosen}
                  indeterminate={fields.length > 0 && !allChosen}
                  onChange={(e) => setFields(e.target.checked ? [...available] : [])}
                  data-testid="reveal-select-all"
                >
                  {rt('reveal.selectAll')}
                </Checkbox>
              </div>
              <div className="ax-review-checks">
                {numbers.length > 0 && <div className="ax-review-check-group">{renderGroup(numbers)}</div>}
                {photos.length > 0 && <div className="ax-review-check-group">{renderGroup(photos)}</div>}
              </div>
              {tried && fields.length === 0 && (
                <Typography.Text type="danger" data-testid="reveal-fields-error">
                  {rt('reveal.fieldsRequired')}
                </Typography.Text>
              )}
            </div>
          )}

          <div>
            <div className="ax-review-dialog-label">
              <Typography.Text strong>{rt('reveal.purposeLabel')}</Typography.Text>
            </div>
            <Radio.Group value={purpose} onChange={(e) => setPurpose(e.target.value as RevealPurpose)}>
              <Space orientation="vertical" size={6}>
                {PURPOSES.map((p) => (
                  <Radio key={p} value={p} data-testid={`reveal-purpose-${p}`}>
                    <span>{rt(`reveal.purpose.${p}`)}</span>
                    <Typography.Text type="secondary" className="ax-review-radio-hint">
                      {rt(`reveal.purposeHint.${p}`)}
                    </Typography.Text>
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
            {tried && !purpose && (
              <div>
                <Typography.Text type="danger" data-testid="reveal-purpose-error">
                  {rt('reveal.purposeRequired')}
                </Typography.Text>
              </div>
            )}
          </div>

          <Alert
            type="warning"
            showIcon
            title={rt('reveal.auditNotice')}
            description={rt('reveal.validity')}
            data-testid="reveal-audit-notice"
          />
          {error && <Alert type="error" showIcon title={error.message} data-testid="reveal-error" />}
        </Space>
      </div>
    </Modal>
  );
}
