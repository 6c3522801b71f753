import type { PublicDoctor } from '@anxin/contracts';
import { Button } from 'antd-mobile';
import { useNavigate, useParams } from 'react-router';
import { onboardingApi } from '../../lib/api';
import { formatDate } from '../../lib/format';
import { useResource } from '../../lib/hooks';
import { Page } from '../../ui/mobile/Page';
import { EmptyView, ErrorView, LoadingView } from '../../ui/mobile/StatusViews';
import { useSession } from '../session/SessionContext';
import { DoctorAvatar } from './DoctorAvatar';
import { FirstVisitRule } from './FirstVisitRule';
import { useDirectoryT } from './i18n';
import type { ReturnState } from './returnTo';
import { TypeBadge, VerifiedBadge } from './TypeBadge';

const BIO = ['education', 'practice', 'academic', 'cases'] as const;

/** Renders a `PublicDoctor` and nothing else: this page never asks for or shows anything beyond it (ONB-5). */
function Profile({ doctor }: { doctor: PublicDoctor }) {
  const t = useDirectoryT();
  const sections = BIO.filter((s) => doctor.biography[s]);
  return (
    <div data-testid="public-profile" data-doctor-id={doctor.id}>
      <section className="ax-card ax-dir-profile-head">
        <DoctorAvatar name={doctor.name} url={doctor.avatarUrl} size={76} />
        <div className="ax-dir-profile-main">
          <h1 className="ax-dir-profile-name" data-testid="profile-name">
            {doctor.name}
          </h1>
          {doctor.title && (
            <div className="ax-dir-profile-title" data-testid="profile-title">
              {doctor.title}
            </div>
          )}
          {(doctor.hospital || doctor.department) && (
            <div className="ax-dir-profile-hospital" data-testid="profile-hospital">
              {[doctor.hospital, doctor.department].filter(Boolean).join(' · ')}
            </div>
          )}
          <div className="ax-dir-badges">
            {doctor.verified && <VerifiedBadge />}
            <TypeBadge type={doctor.practitionerType} />
          </div>
        </div>
      </section>

      <FirstVisitRule type={doctor.practitionerType} />

      <section className="ax-card ax-dir-scope">
        {doctor.practitionerType === 'counsellor' && (
          <div className="ax-dir-counsellor" data-testid="profile-counsellor-label">
            {t('directory.counsellorLabel')}
          </div>
        )}
        <p className="ax-muted">{t(`directory.profile.scopes.${doctor.practitionerType}`)}</p>
        <p className="ax-muted ax-small" data-testid="profile-verified-at">
          ✓ {t('directory.profile.verifiedAt', { date: formatDate(doctor.verifiedAt) })}
        </p>
      </section>

      {doctor.expertise.length > 0 && (
        <section className="ax-card">
          <h2 className="ax-section-title">{t('directory.profile.expertise')}</h2>
          <div className="ax-dir-expertise" data-testid="profile-expertise">
            {doctor.expertise.map((tag) => (
              <span key={tag} className="ax-dir-expertise-tag">
                {tag}
              </span>
            ))}
          </div>
        </section>
      )}

      <section className="ax-card" data-testid="profile-biography">
        <h2 className="ax-section-title">{t('directory.profile.biography')}</h2>
        {sections.length === 0 && <p className="ax-muted">{t('directory.profile.noBio')}</p>}
        {sections.map((s) => (
          <div key={s} className="ax-dir-bio" data-testid={`profile-bio-${s}`}>
            <h3 className="ax-dir-bio-title">{t(`directory.profile.bio.${s}`)}</h3>
            <p className="ax-dir-bio-text">{doctor.biography[s]}</p>
          </div>
        ))}
      </section>
    </div>
  );
}

/** `/doctors/:id` (patient app): a verified doctor's public profile, open to visitors who have not signed in. */
export function PublicProfilePage() {
  const t = useDirectoryT();
  const navigate = useNavigate();
  const signedIn = useSession().state.status === 'signedIn';
  const { id = '' } = useParams();
  const { data, error, reload } = useResource(() => onboardingApi.publicDoctor(id), [id]);
  const notFound = error?.code === 'DOCTOR_NOT_FOUND' || error?.status === 404;
  // A visitor signs in first and comes back to this doctor's consultation form.
  const consult = (doctorId: string) => {
    const form = `/consultations/new?doctor=${encodeURIComponent(doctorId)}`;
    if (signedIn) navigate(form);
    else navigate('/sign-in', { state: { returnTo: form } satisfies ReturnState });
  };

  return (
    <Page
      title={t('directory.profile.title')}
      backTo="/doctors"
      footer={
        data ? (
          <div className="ax-dir-consult">
            <Button
              block
              color="primary"
              size="large"
              onClick={() => consult(data.id)}
              data-testid="start-consultation"
            >
              {signedIn ? t('directory.profile.consult') : t('directory.profile.signInToConsult')}
            </Button>
            {!signedIn && (
              <div className="ax-muted ax-small" data-testid="consultation-sign-in-hint">
                {t('directory.profile.signInHint')}
              </div>
            )}
            {data.practitionerType === 'counsellor' && (
              <div className="ax-muted ax-small" data-testid="consultation-counselling">
                {t('directory.counsellorLabel')}
              </div>
            )}
          </div>
        ) : undefined
      }
    >
      {!data && !error && <LoadingView text={t('directory.profile.loading')} />}
      {!data && error && notFound && (
        <EmptyView title={t('directory.profile.notFound')} description={t('directory.profile.notFoundHint')}>
          <Button color="primary" fill="outline" onClick={() => navigate('/doctors')} data-testid="back-to-directory">
            {t('directory.profile.backToList')}
          </Button>
        </EmptyView>
      )}
      {!data && error && !notFound && (
        <ErrorView
          error={error}
          title={t('directory.profile.loadFailed')}
          onRetry={() => void reload()}
          testId="profile-error"
        />
      )}
      {data && <Profile doctor={data} />}
    </Page>
  );
}
