import type { PractitionerType } from '@anxin/contracts';
import { checkResidentId } from '@anxin/domain';
import { CheckList, Popup, Switch, Toast } from 'antd-mobile';
import { useState, type ReactNode } from 'react';
import { useMe } from '../session/SessionContext';
import { InputField, TextAreaField } from './fields';
import { useForm } from './formContext';
import { useOnbT } from './i18n';
import {
  BIO_MAX,
  BIO_SECTIONS,
  CATEGORY_SUGGESTIONS,
  CLINICAL_FIELD_SUGGESTIONS,
  LEVEL_SUGGESTIONS,
  MAX_EXPERTISE,
  MAX_TAG_LENGTH,
  PRACTITIONER_TYPES,
  PROVINCES,
  REFERRAL_SOURCES,
  SUGGESTED_EXPERTISE,
  TITLE_SUGGESTIONS,
  practiceCertOptional,
  sameIdNumber,
  type ReferralSource,
} from './model';
import { PhotoTile } from './PhotoTile';

function Section({ title, children, intro }: { title?: ReactNode; intro?: ReactNode; children: ReactNode }) {
  return (
    <section className="ax-card ax-onb-section">
      {title && <h2 className="ax-section-title">{title}</h2>}
      {intro && <p className="ax-hint ax-onb-intro">{intro}</p>}
      {children}
    </section>
  );
}

/** A photo slot wired to the form: the server's message for that slot, if any, shows under it. */
function FormPhoto({
  slot,
  optional,
  hideLabel,
}: {
  slot: Parameters<typeof PhotoTile>[0]['slot'];
  optional?: boolean;
  hideLabel?: boolean;
}) {
  const { draft, errorOf, onPhotoChange } = useForm();
  return (
    <PhotoTile
      slot={slot}
      info={draft.app.photos[slot]}
      onChange={onPhotoChange}
      optional={optional}
      hideLabel={hideLabel}
      error={errorOf(`photos.${slot}`) ?? errorOf(`photo:${slot}`) ?? errorOf(slot)}
    />
  );
}

export function StepBasic() {
  const t = useOnbT();
  const me = useMe();
  const { draft, errorOf, touch, setBasic } = useForm();
  const basic = draft.form.basic ?? {};
  const [sourceOpen, setSourceOpen] = useState(false);
  const derived = draft.app.derived;
  // The server derives these from the number it saved; while a new number is being typed they would be stale.
  const derivedFresh = sameIdNumber(basic.idNumber, draft.savedForm.basic?.idNumber);
  const source = basic.source as ReferralSource | undefined;
  const idLooksValid = checkResidentId(basic.idNumber ?? '', new Date(Date.now() + 8 * 3600 * 1000)).ok;

  return (
    <>
      <Section intro={t('onboarding.basic.intro')}>
        <InputField
          label={t('onboarding.basic.name')}
          path="basic.name"
          value={basic.name ?? ''}
          onChange={(v) => setBasic('name', v)}
          placeholder={t('onboarding.basic.namePlaceholder')}
          maxLength={40}
          autoComplete="name"
          enterKeyHint="next"
          error={errorOf('basic.name')}
          testId="field-name"
        />
        <InputField
          label={t('onboarding.basic.idNumber')}
          path="basic.idNumber"
          value={basic.idNumber ?? ''}
          onChange={(v) => setBasic('idNumber', v)}
          onBlur={touch('basic.idNumber')}
          placeholder={t('onboarding.basic.idNumberPlaceholder')}
          maxLength={32}
          inputMode="text"
          autoCapitalize="characters"
          autoComplete="off"
          autoCorrect="off"
          spellCheck={false}
          enterKeyHint="next"
          error={errorOf('basic.idNumber')}
          hint={t('onboarding.basic.idNumberHint')}
          testId="field-id-number"
        />
        <div className="ax-onb-derived" aria-live="polite">
          <div className="ax-onb-derived-title">{t('onboarding.basic.derivedTitle')}</div>
          {derived && derivedFresh ? (
            <dl className="ax-onb-derived-list">
              <div>
                <dt>{t('onboarding.basic.birthday')}</dt>
                <dd data-testid="derived-birthday" data-value={derived.birthday}>
                  {derived.birthday}
                </dd>
              </div>
              <div>
                <dt>{t('onboarding.basic.gender')}</dt>
                <dd data-testid="derived-gender" data-value={derived.gender}>
                  {t(`onboarding.basic.${derived.gender}`)}
                </dd>
              </div>
              <div>
                <dt>{t('onboarding.basic.age')}</dt>
                <dd data-testid="derived-age" data-value={derived.age}>
                  {t('onboarding.basic.ageValue', { age: derived.age })}
                </dd>
              </div>
            </dl>
          ) : (
            <p className="ax-muted ax-small">
              {idLooksValid && !derivedFresh && draft.save.kind !== 'error'
                ? t('onboarding.basic.derivedWaiting')
                : t('onboarding.basic.derivedPending')}
            </p>
          )}
        </div>
        <InputField
          label={t('onboarding.basic.contactPhone')}
          path="basic.contactPhone"
          value={basic.contactPhone ?? ''}
          onChange={(v) => setBasic('contactPhone', v)}
          onBlur={touch('basic.contactPhone')}
          placeholder={t('onboarding.basic.contactPhonePlaceholder')}
          maxLength={32}
          type="tel"
          inputMode="tel"
          autoComplete="tel-national"
          enterKeyHint="next"
          error={errorOf('basic.contactPhone')}
          hint={t('onboarding.basic.contactPhoneHint', { phone: me.phoneMasked })}
          testId="field-contact-phone"
        />
        <InputField
          label={t('onboarding.basic.email')}
          path="basic.email"
          value={basic.email ?? ''}
          onChange={(v) => setBasic('email', v)}
          onBlur={touch('basic.email')}
          placeholder={t('onboarding.basic.emailPlaceholder')}
          maxLength={254}
          type="text"
          inputMode="email"
          autoComplete="email"
          autoCapitalize="off"
          spellCheck={false}
          error={errorOf('basic.email')}
          hint={t('onboarding.basic.emailHint')}
          testId="field-email"
        />
        <div className={`ax-field${errorOf('basic.source') ? ' ax-field-error' : ''}`} data-field="basic.source">
          <span className="ax-field-label" id="onb-source-label">
            {t('onboarding.basic.source')}
          </span>
          <button
            type="button"
            className="ax-field-box ax-onb-picker"
            onClick={() => setSourceOpen(true)}
            aria-labelledby="onb-source-label"
            aria-haspopup="dialog"
            data-testid="field-source"
            data-value={source ?? ''}
          >
            <span className={source ? '' : 'ax-onb-placeholder'}>
              {source ? t(`onboarding.basic.sources.${source}`) : t('onboarding.basic.sourcePlaceholder')}
            </span>
            <span aria-hidden="true" className="ax-onb-chevron">
              ›
            </span>
          </button>
          {errorOf('basic.source') && (
            <div
              className="ax-field-message ax-field-message-error"
              role="alert"
              data-testid="field-error-basic.source"
            >
              {errorOf('basic.source')}
            </div>
          )}
        </div>
        {source && (
          <InputField
            label={t('onboarding.basic.sourceNote')}
            path="basic.sourceNote"
            optional
            value={basic.sourceNote ?? ''}
            onChange={(v) => setBasic('sourceNote', v)}
            placeholder={t('onboarding.basic.sourceNotePlaceholder')}
            maxLength={200}
            error={errorOf('basic.sourceNote')}
            testId="field-source-note"
          />
        )}
        <Popup visible={sourceOpen} onMaskClick={() => setSourceOpen(false)} bodyClassName="ax-onb-sheet">
          <div role="dialog" aria-label={t('onboarding.basic.source')} data-testid="source-sheet">
            <h2 className="ax-onb-sheet-title">{t('onboarding.basic.source')}</h2>
            <CheckList
              value={source ? [source] : []}
              onChange={(values) => {
                const next = values[0] as ReferralSource | undefined;
                if (next) setBasic('source', next);
                setSourceOpen(false);
              }}
            >
              {REFERRAL_SOURCES.map((s) => (
                <CheckList.Item key={s} value={s} data-testid={`source-option-${s}`}>
                  {t(`onboarding.basic.sources.${s}`)}
                </CheckList.Item>
              ))}
            </CheckList>
          </div>
        </Popup>
      </Section>
      <Section title={t('onboarding.basic.avatar')} intro={t('onboarding.basic.avatarHint')}>
        <div className="ax-onb-photo-grid ax-onb-photo-grid-single">
          <FormPhoto slot="avatar" hideLabel />
        </div>
      </Section>
    </>
  );
}

export function StepIdPhotos() {
  const t = useOnbT();
  return (
    <Section intro={t('onboarding.idPhotos.intro')}>
      <p className="ax-hint">
        {t('onboarding.photos.purposes.identity')} {t('onboarding.photos.locationNote')}
      </p>
      <div className="ax-onb-photo-grid">
        <FormPhoto slot="id_front" />
        <FormPhoto slot="id_back" />
      </div>
    </Section>
  );
}

function TypeOption({ type, selected, onSelect }: { type: PractitionerType; selected: boolean; onSelect: () => void }) {
  const t = useOnbT();
  return (
    <button
      type="button"
      role="radio"
      aria-checked={selected}
      className={`ax-onb-type${selected ? ' ax-onb-type-selected' : ''}`}
      onClick={onSelect}
      data-testid={`practitioner-type-${type}`}
    >
      <span className="ax-onb-type-radio" aria-hidden="true" />
      <span>
        <span className="ax-onb-type-name">{t(`onboarding.credentials.types.${type}`)}</span>
        <span className="ax-onb-type-scope">{t(`onboarding.credentials.scopes.${type}`)}</span>
      </span>
    </button>
  );
}

export function StepCredentials() {
  const t = useOnbT();
  const { draft, errorOf, touch, setProfessional, setCredentials } = useForm();
  const type = draft.form.professional?.practitionerType;
  const credentials = draft.form.credentials ?? {};
  const practiceOptional = practiceCertOptional(type);
  const typeError = errorOf('professional.practitionerType');

  return (
    <>
      <Section title={t('onboarding.credentials.typeLabel')} intro={t('onboarding.credentials.typeHint')}>
        <div
          role="radiogroup"
          aria-label={t('onboarding.credentials.typeLabel')}
          className="ax-onb-types"
          data-testid="field-practitioner-type"
          data-value={type ?? ''}
        >
          {PRACTITIONER_TYPES.map((p) => (
            <TypeOption
              key={p}
              type={p}
              selected={type === p}
              onSelect={() => setProfessional('practitionerType', p)}
            />
          ))}
        </div>
        {typeError && (
          <div
            className="ax-field-message ax-field-message-error"
            role="alert"
            data-testid="field-error-professional.practitionerType"
          >
            {typeError}
          </div>
        )}
        {!type && <p className="ax-hint">{t('onboarding.credentials.chooseTypeFirst')}</p>}
      </Section>

      <Section
        title={
          <>
            {t('onboarding.credentials.practiceTitle')}
            {practiceOptional && <span className="ax-onb-optional">（{t('onboarding.optional')}）</span>}
          </>
        }
      >
        {practiceOptional && (
          <p className="ax-onb-note" data-testid="practice-optional-note">
            {t('onboarding.credentials.practiceOptionalNote')}
          </p>
        )}
        <InputField
          label={t('onboarding.credentials.practiceNo')}
          path="credentials.practiceCertNo"
          optional={practiceOptional}
          value={credentials.practiceCertNo ?? ''}
          onChange={(v) => setCredentials('practiceCertNo', v)}
          onBlur={touch('credentials.practiceCertNo')}
          placeholder={t('onboarding.credentials.practiceNoPlaceholder')}
          maxLength={40}
          inputMode="numeric"
          autoComplete="off"
          spellCheck={false}
          error={errorOf('credentials.practiceCertNo')}
          hint={t('onboarding.credentials.certHint')}
          testId="field-practice-cert"
        />
        <p className="ax-hint">{t('onboarding.photos.purposes.credential')}</p>
        <div className="ax-onb-photo-grid">
          <FormPhoto slot="practice_cert_cover" optional={practiceOptional} />
          <FormPhoto slot="practice_cert_personal" optional={practiceOptional} />
        </div>
      </Section>

      <Section
        title={
          type
            ? t(`onboarding.credentials.qualificationTitleFor.${type}`)
            : t('onboarding.credentials.qualificationTitle')
        }
      >
        <InputField
          label={t('onboarding.credentials.qualificationNo')}
          path="credentials.qualificationCertNo"
          value={credentials.qualificationCertNo ?? ''}
          onChange={(v) => setCredentials('qualificationCertNo', v)}
          onBlur={touch('credentials.qualificationCertNo')}
          placeholder={t('onboarding.credentials.qualificationNoPlaceholder')}
          maxLength={40}
          inputMode="text"
          autoCapitalize="characters"
          autoComplete="off"
          autoCorrect="off"
          spellCheck={false}
          error={errorOf('credentials.qualificationCertNo')}
          hint={t('onboarding.credentials.certHint')}
          testId="field-qualification-cert"
        />
        <p className="ax-hint">
          {t('onboarding.photos.purposes.credential')} {t('onboarding.photos.locationNote')}
        </p>
        <div className="ax-onb-photo-grid">
          <FormPhoto slot="qualification_cert_cover" />
          <FormPhoto slot="qualification_cert_personal" />
        </div>
      </Section>
    </>
  );
}

function ExpertisePicker() {
  const t = useOnbT();
  const { draft, errorOf, setProfessional } = useForm();
  const selected = draft.form.professional?.expertise ?? [];
  const [custom, setCustom] = useState('');
  const custom_ = selected.filter((tag) => !(SUGGESTED_EXPERTISE as readonly string[]).includes(tag));
  const all = [...SUGGESTED_EXPERTISE, ...custom_];
  const error = errorOf('professional.expertise');

  const toggle = (tag: string) => {
    if (selected.includes(tag)) {
      setProfessional(
        'expertise',
        selected.filter((s) => s !== tag),
      );
    } else if (selected.length >= MAX_EXPERTISE) {
      Toast.show({ content: t('onboarding.professional.expertiseFull', { max: MAX_EXPERTISE }) });
    } else {
      setProfessional('expertise', [...selected, tag]);
    }
  };

  const addCustom = () => {
    const tag = custom.trim().slice(0, MAX_TAG_LENGTH);
    if (!tag) return;
    if (selected.includes(tag)) {
      Toast.show({ content: t('onboarding.professional.expertiseDuplicate') });
      return;
    }
    if (selected.length >= MAX_EXPERTISE) {
      Toast.show({ content: t('onboarding.professional.expertiseFull', { max: MAX_EXPERTISE }) });
      return;
    }
    setProfessional('expertise', [...selected, tag]);
    setCustom('');
  };

  return (
    <div className={`ax-field${error ? ' ax-field-error' : ''}`} data-field="professional.expertise">
      <span className="ax-field-label" id="onb-expertise-label">
        {t('onboarding.professional.expertise')}
      </span>
      <p className="ax-hint">{t('onboarding.professional.expertiseHint', { max: MAX_EXPERTISE })}</p>
      <div className="ax-onb-chips" role="group" aria-labelledby="onb-expertise-label" data-testid="field-expertise">
        {all.map((tag) => {
          const on = selected.includes(tag);
          return (
            <button
              key={tag}
              type="button"
              className={`ax-onb-chip${on ? ' ax-onb-chip-on' : ''}`}
              aria-pressed={on}
              onClick={() => toggle(tag)}
              data-testid={`expertise-tag-${tag}`}
            >
              {on && <span aria-hidden="true">✓ </span>}
              {tag}
            </button>
          );
        })}
      </div>
      <div className="ax-onb-custom-tag">
        <div className="ax-field-box">
          <input
            className="ax-field-input"
            value={custom}
            onChange={(e) => setCustom(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                addCustom();
              }
            }}
            maxLength={MAX_TAG_LENGTH}
            placeholder={t('onboarding.professional.expertiseCustom')}
            aria-label={t('onboarding.professional.expertiseCustom')}
            enterKeyHint="done"
            data-testid="expertise-custom-input"
          />
        </div>
        <button
          type="button"
          className="ax-onb-add"
          onClick={addCustom}
          disabled={!custom.trim()}
          data-testid="expertise-custom-add"
        >
          {t('onboarding.professional.expertiseAdd')}
        </button>
      </div>
      {error && (
        <div
          className="ax-field-message ax-field-message-error"
          role="alert"
          data-testid="field-error-professional.expertise"
        >
          {error}
        </div>
      )}
    </div>
  );
}

export function StepProfessional() {
  const t = useOnbT();
  const { draft, errorOf, touch, setProfessional, setBiography } = useForm();
  const p = draft.form.professional ?? {};
  const bio = p.biography ?? {};

  const text = (
    key:
      | 'hospital'
      | 'province'
      | 'city'
      | 'category'
      | 'clinicalField'
      | 'level'
      | 'employedSpecialty'
      | 'staffNumber'
      | 'department'
      | 'title'
      | 'position'
      | 'team',
    max: number,
    testId?: string,
    suggestions?: readonly string[],
  ) => (
    <InputField
      label={t(`onboarding.professional.${key}`)}
      path={`professional.${key}`}
      value={p[key] ?? ''}
      onChange={(v) => setProfessional(key, v)}
      placeholder={t(`onboarding.professional.${key}Placeholder`)}
      maxLength={max}
      error={errorOf(`professional.${key}`)}
      suggestions={suggestions}
      testId={testId ?? `field-${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`}
    />
  );

  return (
    <>
      <Section intro={t('onboarding.professional.intro')}>
        {text('hospital', 100, 'field-hospital')}
        <div className="ax-onb-row">
          {text('province', 20, 'field-province', PROVINCES)}
          {text('city', 40, 'field-city')}
        </div>
        {text('level', 40, 'field-level', LEVEL_SUGGESTIONS)}
        {text('department', 60, 'field-department')}
        {text('title', 40, 'field-title', TITLE_SUGGESTIONS)}
        {text('position', 40, 'field-position')}
        {text('category', 40, 'field-category', CATEGORY_SUGGESTIONS)}
        {text('clinicalField', 60, 'field-clinical-field', CLINICAL_FIELD_SUGGESTIONS)}
        {text('employedSpecialty', 60, 'field-employed-specialty')}
        <InputField
          label={t('onboarding.professional.workStart')}
          path="professional.workStartDate"
          value={p.workStartDate ?? ''}
          onChange={(v) => setProfessional('workStartDate', v)}
          onBlur={touch('professional.workStartDate')}
          type="month"
          placeholder="2012-09"
          min="1950-01"
          max={new Date().toISOString().slice(0, 7)}
          error={errorOf('professional.workStartDate')}
          hint={t('onboarding.professional.workStartHint')}
          testId="field-work-start"
        />
        {text('staffNumber', 40, 'field-staff-number')}
        {text('team', 60, 'field-team')}
        <div className="ax-onb-switch-row">
          <div>
            <div className="ax-field-label" id="onb-expert-label">
              {t('onboarding.professional.isExpert')}
            </div>
            <div className="ax-hint ax-onb-switch-hint">{t('onboarding.professional.isExpertHint')}</div>
          </div>
          <Switch
            checked={p.isExpert === true}
            onChange={(on) => setProfessional('isExpert', on)}
            aria-labelledby="onb-expert-label"
            data-testid="field-is-expert"
          />
        </div>
      </Section>

      <Section>
        <ExpertisePicker />
      </Section>

      <Section title={t('onboarding.professional.biography')} intro={t('onboarding.professional.biographyHint')}>
        {BIO_SECTIONS.map((section) => (
          <TextAreaField
            key={section}
            label={t(`onboarding.professional.bio.${section}`)}
            path={`professional.biography.${section}`}
            value={bio[section] ?? ''}
            onChange={(v) => setBiography(section, v)}
            placeholder={t(`onboarding.professional.bioPlaceholder.${section}`)}
            maxLength={BIO_MAX}
            rows={section === 'practice' ? 5 : 4}
            error={errorOf(`professional.biography.${section}`)}
            hint={section === 'cases' ? t('onboarding.professional.casesPrivacy') : undefined}
            testId={`bio-${section}`}
          />
        ))}
      </Section>
    </>
  );
}
