import type {
  ErasureScope,
  ExplainableDecision,
  RightsRequestKind,
  StaffCreateRightsRequestBody,
} from '@anxin/contracts';
import { ERASURE_SCOPES } from '@anxin/contracts';
import { Alert, App, Button, Card, Form, Input, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { toApiError, type ApiError } from '../../lib/api';
import { rightsAdminApi } from './api';
import { useRightsT } from './i18n';

const KINDS: readonly RightsRequestKind[] = ['export', 'correction', 'erasure', 'cancellation', 'explanation'];
const DECISIONS: readonly ExplainableDecision[] = ['onboarding_precheck', 'crisis_flag'];
const VERIFICATIONS = ['support_callback', 'support_id_document', 'support_in_person'] as const;

interface Values {
  app: 'doctor' | 'patient';
  phone: string;
  kind: RightsRequestKind;
  details?: string;
  erasureScope?: ErasureScope;
  decision?: ExplainableDecision;
  verification: StaffCreateRightsRequestBody['verification'];
  verificationNote: string;
}

/** Support enters a request someone made by phone, email or in person, with how their identity was checked. */
export function RightsNewPage() {
  const t = useRightsT();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form);
  const scope = Form.useWatch('erasureScope', form);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError>();

  const detailsRequired = kind === 'correction' || (kind === 'erasure' && scope === 'other');
  const showDetails = kind === 'correction' || kind === 'erasure' || kind === 'explanation';

  const submit = async (v: Values) => {
    setBusy(true);
    setError(undefined);
    const body: StaffCreateRightsRequestBody = {
      app: v.app,
      phone: v.phone.trim(),
      kind: v.kind,
      verification: v.verification,
      verificationNote: v.verificationNote.trim(),
    };
    const details = v.details?.trim();
    if (showDetails && details) body.details = details;
    if (v.kind === 'erasure' && v.erasureScope) body.erasureScope = v.erasureScope;
    if (v.kind === 'explanation' && v.decision) body.decision = v.decision;
    try {
      const created = await rightsAdminApi.create(body);
      void message.success(t('rightsAdmin.new.created'));
      navigate(`/rights/${encodeURIComponent(created.id)}`);
    } catch (err) {
      setError(toApiError(err));
      setBusy(false);
    }
  };

  return (
    <div data-testid="rights-new">
      <Space direction="vertical" size="middle" style={{ width: '100%', maxWidth: 720 }}>
        <Link to="/rights">← {t('rightsAdmin.detail.back')}</Link>
        <Typography.Title level={3} style={{ margin: 0 }}>
          {t('rightsAdmin.new.title')}
        </Typography.Title>
        <Typography.Paragraph type="secondary">{t('rightsAdmin.new.intro')}</Typography.Paragraph>
        <Card>
          <Form<Values>
            form={form}
            layout="vertical"
            initialValues={{ app: 'patient', kind: 'export', verification: 'support_callback' }}
            onFinish={(v) => void submit(v)}
          >
            <Form.Item name="app" label={t('rightsAdmin.new.app')} rules={[{ required: true }]}>
              <Radio.Group
                options={[
                  { value: 'patient', label: t('rightsAdmin.app.patient') },
                  { value: 'doctor', label: t('rightsAdmin.app.doctor') },
                ]}
              />
            </Form.Item>
            <Form.Item
              name="phone"
              label={t('rightsAdmin.new.phone')}
              rules={[{ required: true, whitespace: true, message: t('rightsAdmin.new.phoneRequired') }]}
            >
              <Input data-testid="rights-new-phone" inputMode="tel" maxLength={20} autoComplete="off" />
            </Form.Item>
            <Form.Item name="kind" label={t('rightsAdmin.new.kind')} rules={[{ required: true }]}>
              <Select
                data-testid="rights-new-kind"
                options={KINDS.map((k) => ({ value: k, label: t(`rightsAdmin.kind.${k}`) }))}
              />
            </Form.Item>
            {kind === 'erasure' && (
              <Form.Item
                name="erasureScope"
                label={t('rightsAdmin.new.scope')}
                rules={[{ required: true, message: t('rightsAdmin.new.scopeRequired') }]}
              >
                <Select
                  data-testid="rights-new-scope"
                  options={ERASURE_SCOPES.map((s) => ({ value: s, label: t(`rightsAdmin.scope.${s}`) }))}
                />
              </Form.Item>
            )}
            {kind === 'explanation' && (
              <Form.Item
                name="decision"
                label={t('rightsAdmin.new.decision')}
                rules={[{ required: true, message: t('rightsAdmin.new.decisionRequired') }]}
              >
                <Select
                  data-testid="rights-new-decision"
                  options={DECISIONS.map((d) => ({ value: d, label: t(`rightsAdmin.decision.${d}`) }))}
                />
              </Form.Item>
            )}
            {showDetails && (
              <Form.Item
                name="details"
                label={t('rightsAdmin.new.details')}
                rules={[{ required: detailsRequired, whitespace: true, message: t('rightsAdmin.new.detailsRequired') }]}
              >
                <Input.TextArea data-testid="rights-new-details" rows={4} maxLength={2000} showCount />
              </Form.Item>
            )}
            <Form.Item name="verification" label={t('rightsAdmin.new.verification')} rules={[{ required: true }]}>
              <Radio.Group
                options={VERIFICATIONS.map((v) => ({ value: v, label: t(`rightsAdmin.verificationLong.${v}`) }))}
              />
            </Form.Item>
            <Form.Item
              name="verificationNote"
              label={t('rightsAdmin.new.verificationNote')}
              rules={[
                {
                  required: true,
                  validator: (_, v: string | undefined) => {
                    const n = (v ?? '').trim().length;
                    return n >= 4 && n <= 500
                      ? Promise.resolve()
                      : Promise.reject(new Error(t('rightsAdmin.new.verificationNoteRequired')));
                  },
                },
              ]}
            >
              <Input.TextArea
                data-testid="rights-new-note"
                rows={3}
                maxLength={500}
                showCount
                placeholder={t('rightsAdmin.new.verificationNotePlaceholder')}
              />
            </Form.Item>
            {error && <Alert type="error" showIcon style={{ marginBottom: 16 }} message={error.message} />}
            <Button type="primary" htmlType="submit" loading={busy} data-testid="rights-new-submit">
              {t('rightsAdmin.new.submit')}
            </Button>
          </Form>
        </Card>
      </Space>
    </div>
  );
}
