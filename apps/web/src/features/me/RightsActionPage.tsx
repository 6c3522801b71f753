import type { CreateRightsRequestBody, ErasureScope, ExplainableDecision } from '@anxin/contracts';
import { ERASURE_SCOPES } from '@anxin/contracts';
import { Button, List, Radio, Toast } from 'antd-mobile';
import { useState, type ReactNode } from 'react';
import { Navigate, useNavigate, useParams } from 'react-router';
import { useMobileApp } from '../../ui/mobile/AppContext';
import { Page } from '../../ui/mobile/Page';
import { useSession } from '../session/SessionContext';
import { rightsApi } from './rights-api';
import { useRightsT } from './rights-i18n';
import { TextAreaField } from './rights-shared';
import { StepUpCode } from './StepUpCode';

const ACTIONS = ['export', 'correct', 'erase', 'explain'] as const;
type Action = (typeof ACTIONS)[number];

const BACK = '/me/privacy';

/**
 * `/me/privacy/:action`: get a copy (RIG-1), correct (RIG-2), erase some data (RIG-3), explain an automated
 * decision (RIG-6). Each is a short form, then the step-up code, then the request; afterwards its detail page.
 */
export function RightsActionPage() {
  const { action } = useParams();
  if (!ACTIONS.includes(action as Action)) return <Navigate to={BACK} replace />;
  return <ActionForm key={action} action={action as Action} />;
}

function ActionForm({ action }: { action: Action }) {
  const t = useRightsT();
  const app = useMobileApp();
  const navigate = useNavigate();
  const { me } = useSession();
  const [step, setStep] = useState<'form' | 'verify'>('form');
  const [details, setDetails] = useState('');
  const [detailsError, setDetailsError] = useState<string>();
  const [scope, setScope] = useState<ErasureScope | null>(null);
  const [scopeError, setScopeError] = useState<string>();
  const decisions: ExplainableDecision[] = app === 'doctor' ? ['onboarding_precheck', 'crisis_flag'] : ['crisis_flag'];
  const [decision, setDecision] = useState<ExplainableDecision | null>(decisions.length === 1 ? decisions[0]! : null);
  const [decisionError, setDecisionError] = useState<string>();

  const title = t(`rights.${action}.title`);
  const detailsNeeded = action === 'correct' || (action === 'erase' && scope === 'other');

  const next = () => {
    let ok = true;
    if (action === 'erase' && !scope) {
      setScopeError(t('rights.form.chooseOne'));
      ok = false;
    }
    if (action === 'explain' && !decision) {
      setDecisionError(t('rights.form.chooseOne'));
      ok = false;
    }
    if (detailsNeeded && !details.trim()) {
      setDetailsError(t('rights.form.detailsRequired'));
      ok = false;
    }
    if (ok) setStep('verify');
  };

  const body = (code: string): CreateRightsRequestBody => {
    const text = details.trim();
    switch (action) {
      case 'export':
        return { kind: 'export', code };
      case 'correct':
        return { kind: 'correction', code, details: text };
      case 'erase':
        return {
          kind: 'erasure',
          code,
          erasureScope: scope ?? 'other',
          ...(scope === 'other' && text ? { details: text } : {}),
        };
      case 'explain':
        return { kind: 'explanation', code, decision: decision ?? 'crisis_flag', ...(text ? { details: text } : {}) };
    }
  };

  const submit = async (code: string) => {
    const created = await rightsApi.create(body(code));
    Toast.show({ icon: 'success', content: t('rights.form.submitted') });
    navigate(`/me/privacy/requests/${encodeURIComponent(created.request.id)}`, { replace: true });
  };

  const submitLabel =
    action === 'export'
      ? t('rights.export.submit')
      : action === 'correct'
        ? t('rights.correct.submit')
        : action === 'erase'
          ? t('rights.erase.submit')
          : t('rights.explain.submit');

  let form: ReactNode;
  if (action === 'export') {
    form = (
      <div className="ax-card">
        <p>{t('rights.export.intro')}</p>
        <p className="ax-muted">{t('rights.export.how')}</p>
      </div>
    );
  } else if (action === 'correct') {
    const canEditName = app === 'patient' || !me?.doctorProfile;
    form = (
      <>
        <p className="ax-muted ax-intro">{t('rights.correct.intro')}</p>
        <List mode="card" data-testid="correct-guidance">
          {canEditName && (
            <List.Item
              description={t('rights.correct.nameHint')}
              extra={t('rights.correct.go')}
              onClick={() => navigate('/me/name')}
              data-testid="correct-name"
            >
              {t('rights.correct.name')}
            </List.Item>
          )}
          {app === 'patient' && (
            <List.Item
              description={t('rights.correct.profileFactsHint')}
              extra={t('rights.correct.go')}
              onClick={() => navigate('/me')}
              data-testid="correct-profile-facts"
            >
              {t('rights.correct.profileFacts')}
            </List.Item>
          )}
          {app === 'doctor' && (
            <List.Item
              description={t('rights.correct.credentialsHint')}
              extra={t('rights.correct.go')}
              onClick={() => navigate('/onboarding')}
              data-testid="correct-credentials"
            >
              {t('rights.correct.credentials')}
            </List.Item>
          )}
        </List>
        <div className="ax-card">
          <h2 className="ax-section-title">{t('rights.correct.other')}</h2>
          <p className="ax-muted">{t('rights.correct.otherIntro')}</p>
          <TextAreaField
            label={t('rights.correct.detailsLabel')}
            placeholder={t('rights.correct.detailsPlaceholder')}
            value={details}
            onChange={(v) => {
              setDetails(v);
              setDetailsError(undefined);
            }}
            error={detailsError}
            testId="rights-details"
          />
        </div>
      </>
    );
  } else if (action === 'erase') {
    form = (
      <div className="ax-card">
        <p>{t('rights.erase.intro')}</p>
        <div className="ax-field-label" id="erase-scope-label">
          {t('rights.erase.scopeLabel')}
        </div>
        <Radio.Group
          value={scope}
          onChange={(v) => {
            setScope(v as ErasureScope);
            setScopeError(undefined);
          }}
        >
          <div className="ax-rights-choices" role="radiogroup" aria-labelledby="erase-scope-label">
            {ERASURE_SCOPES.map((s) => (
              <Radio key={s} value={s} data-testid={`erasure-scope-${s}`} className="ax-rights-choice">
                <div>{t(`rights.scopes.${s}`)}</div>
                <div className="ax-muted ax-small">{t(`rights.scopes.${s}Hint`)}</div>
              </Radio>
            ))}
          </div>
        </Radio.Group>
        {scopeError && (
          <div className="ax-field-message ax-field-message-error" role="alert">
            {scopeError}
          </div>
        )}
        {scope === 'other' && (
          <TextAreaField
            label={t('rights.form.detailsLabel')}
            placeholder={t('rights.form.detailsPlaceholder')}
            value={details}
            onChange={(v) => {
              setDetails(v);
              setDetailsError(undefined);
            }}
            error={detailsError}
            testId="rights-details"
          />
        )}
        <p className="ax-muted ax-small">{t('rights.erase.kept')}</p>
        <Button fill="none" color="primary" size="small" onClick={() => navigate('/me/privacy/cancel')}>
          {t('rights.actions.cancel')}
        </Button>
      </div>
    );
  } else {
    form = (
      <div className="ax-card">
        <p>{t('rights.explain.intro')}</p>
        <div className="ax-field-label" id="explain-decision-label">
          {t('rights.explain.decisionLabel')}
        </div>
        <Radio.Group
          value={decision}
          onChange={(v) => {
            setDecision(v as ExplainableDecision);
            setDecisionError(undefined);
          }}
        >
          <div className="ax-rights-choices" role="radiogroup" aria-labelledby="explain-decision-label">
            {decisions.map((d) => (
              <Radio key={d} value={d} data-testid={`explain-decision-${d}`} className="ax-rights-choice">
                <div>{t(`rights.decisions.${d}`)}</div>
                <div className="ax-muted ax-small">{t(`rights.decisions.${d}Hint`)}</div>
              </Radio>
            ))}
          </div>
        </Radio.Group>
        {decisionError && (
          <div className="ax-field-message ax-field-message-error" role="alert">
            {decisionError}
          </div>
        )}
        <TextAreaField
          label={t('rights.explain.detailsLabel')}
          placeholder={t('rights.explain.detailsPlaceholder')}
          value={details}
          onChange={setDetails}
          testId="rights-details"
        />
      </div>
    );
  }

  return (
    <Page title={title} backTo={BACK}>
      <div className="ax-list-page" data-testid={`rights-${action}`}>
        {step === 'form' ? (
          <>
            {form}
            <div className="ax-card ax-actions">
              <p className="ax-muted ax-small">{t('rights.actions.intro')}</p>
              <Button block size="large" color="primary" onClick={next} data-testid="rights-next">
                {t('rights.form.next')}
              </Button>
            </div>
          </>
        ) : (
          <StepUpCode onSubmit={submit} submitLabel={submitLabel} onBack={() => setStep('form')} />
        )}
      </div>
    </Page>
  );
}
