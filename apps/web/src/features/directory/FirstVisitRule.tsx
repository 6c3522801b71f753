import type { PractitionerType } from '@anxin/contracts';
import { takesFirstVisitOnline } from '@anxin/domain';
import { Button } from 'antd-mobile';
import { useNavigate } from 'react-router';
import { useDirectoryT } from './i18n';

/** Router state that opens the directory on counsellors (kept out of the URL, like every filter). */
export const COUNSELLORS_STATE = { type: 'counsellor' as PractitionerType };

/**
 * What to do instead of a first visit online: counselling (labelled as such, not medical care) or care in person.
 * Crisis numbers are shown elsewhere in the app.
 */
export function FirstVisitAlternatives() {
  const t = useDirectoryT();
  const navigate = useNavigate();
  return (
    <div className="ax-dir-alternatives" data-testid="first-visit-alternatives">
      <div className="ax-dir-alt">
        <div className="ax-dir-alt-title">
          {t('directory.firstVisit.counselling')}
          <span className="ax-dir-counsellor ax-dir-alt-label">{t('directory.counsellorLabel')}</span>
        </div>
        <p className="ax-dir-alt-body">{t('directory.firstVisit.counsellingBody')}</p>
        <Button
          size="small"
          color="primary"
          fill="outline"
          onClick={() => navigate('/doctors', { state: COUNSELLORS_STATE })}
          data-testid="first-visit-counselling"
        >
          {t('directory.firstVisit.counsellingAction')}
        </Button>
      </div>
      <div className="ax-dir-alt" data-testid="first-visit-in-person">
        <div className="ax-dir-alt-title">{t('directory.firstVisit.inPerson')}</div>
        <p className="ax-dir-alt-body">{t('directory.firstVisit.inPersonBody')}</p>
      </div>
    </div>
  );
}

/**
 * Whether this doctor can see a first visit online, from the same rule the server enforces (@anxin/domain), and
 * what to do instead when not: shown on the public profile before anything is typed.
 */
export function FirstVisitRule({ type }: { type: PractitionerType }) {
  const t = useDirectoryT();
  const firstVisits = takesFirstVisitOnline(type);
  return (
    <section
      className="ax-card ax-dir-rule"
      data-testid="first-visit-rule"
      data-first-visit={firstVisits ? 'online' : 'in-person'}
    >
      <h2 className="ax-section-title">
        {firstVisits ? t('directory.firstVisit.both') : t('directory.firstVisit.followUpOnly')}
      </h2>
      <p className="ax-muted ax-dir-rule-body">
        {firstVisits
          ? t('directory.firstVisit.bothBody')
          : t('directory.firstVisit.followUpOnlyBody', { type: t(`directory.types.${type}`) })}
      </p>
      {!firstVisits && (
        <>
          <div className="ax-dir-alt-intro">{t('directory.firstVisit.ifFirst')}</div>
          <FirstVisitAlternatives />
        </>
      )}
    </section>
  );
}
