import type { PublicDoctor } from '@anxin/contracts';
import { mayConsultOnline } from '@anxin/domain';
import { Button, Toast } from 'antd-mobile';
import { useEffect, useId, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { consultationApi, onboardingApi, toApiError } from '../../lib/api';
import { useResource } from '../../lib/hooks';
import { Page } from '../../ui/mobile/Page';
import { EmptyView, ErrorView, LoadingView } from '../../ui/mobile/StatusViews';
import { FirstVisitAlternatives } from '../directory';
import { useMe } from '../session/SessionContext';
import { useConsultT } from './i18n';
import { isValidConcern } from './model';

/**
 * What was typed survives the detour through the consent screen, in memory only (never device storage: it is
 * health information). Keyed by doctor; cleared once sent.
 */
const drafts = new Map<string, { concern: string; followUp: boolean | null }>();

const CONSENT = 'consultation';

function Form({ doctor }: { doctor: PublicDoctor }) {
  const t = useConsultT();
  const navigate = useNavigate();
  const me = useMe();
  const concernId = useId();
  const draft = drafts.get(doctor.id);
  const [concern, setConcern] = useState(draft?.concern ?? '');
  const [followUp, setFollowUp] = useState<boolean | null>(draft?.followUp ?? null);
  const [error, setError] = useState<string>();
  const [concernError, setConcernError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const counsellor = doctor.practitionerType === 'counsellor';
  // The server's rule (same function): a first visit to a physician is refused, so it is not asked for here.
  const blocked = followUp !== null && !mayConsultOnline(doctor.practitionerType, followUp);
  const consented = me.sensitiveConsents.includes(CONSENT);

  useEffect(() => {
    drafts.set(doctor.id, { concern, followUp });
  }, [doctor.id, concern, followUp]);

  const toConsent = () =>
    navigate(`/consent/${CONSENT}`, { state: { next: `/consultations/new?doctor=${encodeURIComponent(doctor.id)}` } });

  const submit = async () => {
    setError(undefined);
    if (followUp === null) {
      setError(t('consultations.new.followUpRequired'));
      return;
    }
    if (blocked) return;
    const text = concern.trim();
    if (!isValidConcern(text)) {
      setConcernError(t('consultations.new.concernInvalid'));
      return;
    }
    if (!consented) {
      toConsent();
      return;
    }
    setBusy(true);
    try {
      const created = await consultationApi.request({ doctorId: doctor.id, concern: text, isFollowUp: followUp });
      drafts.delete(doctor.id);
      Toast.show({ icon: 'success', content: t('consultations.new.submitted') });
      navigate(`/consultations/${encodeURIComponent(created.id)}`, { replace: true });
    } catch (err) {
      const e = toApiError(err);
      if (e.code === 'CONSULTATION_CONSENT_REQUIRED') toConsent();
      else setError(e.message); // FIRST_VISIT_IN_PERSON: the server's "see a doctor in person"
    } finally {
      setBusy(false);
    }
  };

  return (
    <Page
      title={t('consultations.new.title')}
      backTo={`/doctors/${encodeURIComponent(doctor.id)}`}
      footer={
        !blocked && (
          <Button
            block
            color="primary"
            size="large"
            loading={busy}
            onClick={() => void submit()}
            data-testid="consult-submit"
          >
            {consented ? t('consultations.new.submit') : t('consultations.new.submitConsent')}
          </Button>
        )
      }
    >
      <form
        className="ax-con-form"
        data-testid="consult-form"
        data-doctor-id={doctor.id}
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <section className="ax-card">
          <div className="ax-muted ax-small">{t('consultations.new.to')}</div>
          <div className="ax-con-doctor" data-testid="consult-doctor">
            {doctor.name}
            {doctor.title && <span className="ax-muted ax-small"> · {doctor.title}</span>}
          </div>
          {counsellor && (
            <div className="ax-con-notice ax-con-notice-info" data-testid="consult-counselling-notice">
              <strong>{t('consultations.counselling')}</strong>
              <div>{t('consultations.new.counsellorNotice')}</div>
            </div>
          )}
        </section>

        <section className="ax-card" role="group" aria-labelledby={`${concernId}-fu`}>
          <div id={`${concernId}-fu`} className="ax-field-label">
            {t('consultations.new.followUpQuestion')}
          </div>
          <p className="ax-hint">
            {counsellor ? t('consultations.new.followUpHintCounsellor') : t('consultations.new.followUpHint')}
          </p>
          <div className="ax-con-choice">
            <Button
              block
              color={followUp === true ? 'primary' : 'default'}
              fill={followUp === true ? 'solid' : 'outline'}
              aria-pressed={followUp === true}
              onClick={() => {
                setFollowUp(true);
                setError(undefined);
              }}
              data-testid="consult-follow-up-yes"
            >
              {t('consultations.new.yes')}
            </Button>
            <Button
              block
              color={followUp === false ? 'primary' : 'default'}
              fill={followUp === false ? 'solid' : 'outline'}
              aria-pressed={followUp === false}
              onClick={() => {
                setFollowUp(false);
                setError(undefined);
              }}
              data-testid="consult-follow-up-no"
            >
              {t('consultations.new.no')}
            </Button>
          </div>
          {blocked && (
            <>
              <div className="ax-con-notice ax-con-notice-warn" data-testid="consult-first-visit-notice">
                {t('consultations.new.firstVisitNotice')}
              </div>
              <FirstVisitAlternatives />
            </>
          )}
        </section>

        {/* What to write comes only once the doctor can take this visit: nothing is typed for a refusal. */}
        {followUp !== null && !blocked && (
          <section className="ax-card">
            <label className="ax-field-label" htmlFor={concernId}>
              {t('consultations.new.concern')}
            </label>
            <textarea
              id={concernId}
              className="ax-con-textarea"
              rows={6}
              maxLength={1000}
              value={concern}
              placeholder={t('consultations.new.concernPlaceholder')}
              onChange={(e) => {
                setConcern(e.target.value);
                setConcernError(undefined);
              }}
              aria-invalid={concernError ? true : undefined}
              aria-describedby={`${concernId}-hint`}
              data-testid="consult-concern"
            />
            <div
              id={`${concernId}-hint`}
              className={concernError ? 'ax-field-message ax-field-message-error' : 'ax-field-message'}
              role={concernError ? 'alert' : undefined}
            >
              {concernError ?? t('consultations.new.concernHint')}
              <span className="ax-con-count">{concern.length}/1000</span>
            </div>
          </section>
        )}

        {!consented && !blocked && <p className="ax-hint ax-con-pad">{t('consultations.new.consentNote')}</p>}

        {error && (
          <div className="ax-con-notice ax-con-notice-danger ax-con-error" role="alert" data-testid="consult-error">
            {error}
          </div>
        )}
      </form>
    </Page>
  );
}

/** `/consultations/new?doctor=<id>` (patient app): ask a doctor for a consultation. */
export function NewConsultationPage() {
  const t = useConsultT();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const doctorId = params.get('doctor') ?? '';
  const { data, error, reload } = useResource(
    () => (doctorId ? onboardingApi.publicDoctor(doctorId) : Promise.resolve(null)),
    [doctorId],
  );

  if (data) return <Form doctor={data} />;
  const missing = data === null || error?.status === 404 || error?.code === 'DOCTOR_NOT_FOUND';
  return (
    <Page
      title={t('consultations.new.title')}
      backTo={doctorId ? `/doctors/${encodeURIComponent(doctorId)}` : '/doctors'}
    >
      {!error && data === undefined && <LoadingView text={t('consultations.new.loading')} />}
      {missing && (
        <EmptyView
          title={error && !error.isNetwork ? error.message : t('consultations.new.noDoctor')}
          description={t('consultations.new.noDoctorHint')}
        >
          <Button color="primary" fill="outline" onClick={() => navigate('/doctors')} data-testid="back-to-directory">
            {t('consultations.new.toDirectory')}
          </Button>
        </EmptyView>
      )}
      {error && !missing && (
        <ErrorView
          error={error}
          title={t('consultations.new.loadFailed')}
          onRetry={() => void reload()}
          testId="consult-load-error"
        />
      )}
    </Page>
  );
}
