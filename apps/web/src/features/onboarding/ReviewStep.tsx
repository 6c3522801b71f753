import type { PhotoSlot } from '@anxin/contracts';
import type { ReactNode } from 'react';
import { pickText } from './bundle';
import { useForm } from './formContext';
import { useOnbT } from './i18n';
import { BIO_SECTIONS, STEP_PHOTOS, STEPS, stepOfField } from './model';

function Row({ label, value }: { label: string; value: ReactNode }) {
  const t = useOnbT();
  const empty = value === undefined || value === null || value === '';
  return (
    <div className="ax-onb-summary-row">
      <dt>{label}</dt>
      <dd className={empty ? 'ax-onb-summary-empty' : undefined}>{empty ? t('onboarding.review.empty') : value}</dd>
    </div>
  );
}

function SummaryCard({ step, children }: { step: number; children: ReactNode }) {
  const t = useOnbT();
  const { goTo } = useForm();
  return (
    <section className="ax-card ax-onb-summary" data-testid={`summary-${STEPS[step]}`}>
      <div className="ax-onb-summary-head">
        <h2 className="ax-section-title">{t(`onboarding.steps.${STEPS[step]!}`)}</h2>
        <button
          type="button"
          className="ax-link"
          onClick={() => goTo(step)}
          data-testid={`summary-edit-${STEPS[step]}`}
        >
          {t('onboarding.review.edit')}
        </button>
      </div>
      <dl>{children}</dl>
    </section>
  );
}

function photoCount(photos: Record<string, unknown>, slots: readonly PhotoSlot[]): number {
  return slots.filter((s) => photos[s]).length;
}

/** ⑤ 确认提交: a summary, what is still missing and why, what needs correcting, and the submit button (in the footer). */
export function ReviewStep() {
  const t = useOnbT();
  const { draft, goTo } = useForm();
  const { app, form } = draft;
  const basic = form.basic ?? {};
  const credentials = form.credentials ?? {};
  const p = form.professional ?? {};
  const bio = p.biography ?? {};
  const photos = app.photos;
  const photosLine = (slots: readonly PhotoSlot[]) => {
    const n = photoCount(photos, slots);
    return n === 0 ? '' : t('onboarding.review.photosCount', { count: n });
  };

  return (
    <>
      <p className="ax-muted ax-intro">{t('onboarding.review.intro')}</p>

      <section className="ax-card ax-onb-missing" data-testid="missing-list" data-count={app.missing.length}>
        {app.missing.length === 0 ? (
          <p className="ax-onb-missing-none">✓ {t('onboarding.review.missingNone')}</p>
        ) : (
          <>
            <h2 className="ax-section-title">{t('onboarding.review.missingTitle', { count: app.missing.length })}</h2>
            <ul className="ax-onb-issue-list">
              {app.missing.map((item) => (
                <li key={item.field}>
                  <button
                    type="button"
                    className="ax-onb-issue"
                    onClick={() => goTo(stepOfField(item.field))}
                    data-testid="missing-item"
                    data-field={item.field}
                  >
                    <span className="ax-onb-issue-label">{pickText(item.label)}</span>
                    <span className="ax-onb-issue-purpose">
                      {t('onboarding.review.missingPurpose', { purpose: pickText(item.purpose) })}
                    </span>
                    <span className="ax-onb-issue-go" aria-hidden="true">
                      ›
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>

      {app.fieldErrors.length > 0 && (
        <section className="ax-card ax-onb-errors" data-testid="field-errors">
          <h2 className="ax-section-title">{t('onboarding.review.errorsTitle')}</h2>
          <ul className="ax-onb-issue-list">
            {app.fieldErrors.map((e) => (
              <li key={e.field}>
                <button
                  type="button"
                  className="ax-onb-issue ax-onb-issue-error"
                  onClick={() => goTo(stepOfField(e.field))}
                  data-field={e.field}
                >
                  <span className="ax-onb-issue-label" data-testid={`field-error-${e.field}`}>
                    {pickText(e.message)}
                  </span>
                  <span className="ax-onb-issue-go" aria-hidden="true">
                    ›
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}

      <SummaryCard step={0}>
        <Row label={t('onboarding.basic.name')} value={basic.name} />
        <Row label={t('onboarding.basic.idNumber')} value={basic.idNumber} />
        {app.derived && (
          <Row
            label={`${t('onboarding.basic.birthday')} · ${t('onboarding.basic.gender')} · ${t('onboarding.basic.age')}`}
            value={`${app.derived.birthday} · ${t(`onboarding.basic.${app.derived.gender}`)} · ${t('onboarding.basic.ageValue', { age: app.derived.age })}`}
          />
        )}
        <Row label={t('onboarding.basic.contactPhone')} value={basic.contactPhone} />
        <Row label={t('onboarding.basic.email')} value={basic.email} />
        <Row
          label={t('onboarding.basic.source')}
          value={
            basic.source
              ? `${t(`onboarding.basic.sources.${basic.source}`)}${basic.sourceNote ? ` · ${basic.sourceNote}` : ''}`
              : ''
          }
        />
        <Row label={t('onboarding.basic.avatar')} value={photosLine(STEP_PHOTOS.basic)} />
      </SummaryCard>

      <SummaryCard step={1}>
        <Row label={t('onboarding.steps.idPhotos')} value={photosLine(STEP_PHOTOS.idPhotos)} />
      </SummaryCard>

      <SummaryCard step={2}>
        <Row
          label={t('onboarding.credentials.typeLabel')}
          value={p.practitionerType ? t(`onboarding.credentials.types.${p.practitionerType}`) : ''}
        />
        <Row label={t('onboarding.credentials.practiceNo')} value={credentials.practiceCertNo} />
        <Row label={t('onboarding.credentials.qualificationNo')} value={credentials.qualificationCertNo} />
        <Row label={t('onboarding.review.certPhotos')} value={photosLine(STEP_PHOTOS.credentials)} />
      </SummaryCard>

      <SummaryCard step={3}>
        <Row label={t('onboarding.professional.hospital')} value={p.hospital} />
        <Row
          label={`${t('onboarding.professional.province')} · ${t('onboarding.professional.city')}`}
          value={[p.province, p.city].filter(Boolean).join(' · ')}
        />
        <Row label={t('onboarding.professional.level')} value={p.level} />
        <Row label={t('onboarding.professional.department')} value={p.department} />
        <Row label={t('onboarding.professional.title')} value={p.title} />
        <Row label={t('onboarding.professional.position')} value={p.position} />
        <Row label={t('onboarding.professional.category')} value={p.category} />
        <Row label={t('onboarding.professional.clinicalField')} value={p.clinicalField} />
        <Row label={t('onboarding.professional.employedSpecialty')} value={p.employedSpecialty} />
        <Row label={t('onboarding.professional.workStart')} value={p.workStartDate} />
        <Row label={t('onboarding.professional.staffNumber')} value={p.staffNumber} />
        <Row label={t('onboarding.professional.team')} value={p.team} />
        <Row
          label={t('onboarding.professional.isExpert')}
          value={p.isExpert === undefined ? '' : p.isExpert ? t('onboarding.review.yes') : t('onboarding.review.no')}
        />
        <Row label={t('onboarding.professional.expertise')} value={(p.expertise ?? []).join('、')} />
        {BIO_SECTIONS.map((s) => (
          <Row
            key={s}
            label={t(`onboarding.professional.bio.${s}`)}
            value={bio[s] ? <span className="ax-onb-summary-text">{bio[s]}</span> : ''}
          />
        ))}
      </SummaryCard>

      <section className="ax-card ax-onb-submit-notes">
        <p className="ax-hint">{t('onboarding.review.precheckNote')}</p>
        <p className="ax-hint">{t('onboarding.review.consentNote')}</p>
      </section>
    </>
  );
}
