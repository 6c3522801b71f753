import { DIRECTORY_SEARCH_MAX_LENGTH, type PractitionerType, type PublicDoctor } from '@anxin/contracts';
import { Button, NoticeBar, PullToRefresh, Tag } from 'antd-mobile';
import { useEffect, useState, type ReactNode } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { onboardingApi } from '../../lib/api';
import { useResource } from '../../lib/hooks';
import { Page } from '../../ui/mobile/Page';
import { EmptyView, ErrorView, LoadingView } from '../../ui/mobile/StatusViews';
import { usePullCopy } from '../me/pull';
import { PRACTITIONER_TYPES, SUGGESTED_EXPERTISE } from '../onboarding/model';
import { DoctorAvatar } from './DoctorAvatar';
import { useDirectoryT } from './i18n';
import { TypeBadge, VerifiedBadge } from './TypeBadge';

interface Filter {
  q: string;
  type: PractitionerType | undefined;
  expertise: string | undefined;
}

/** Kept in memory only (never in the URL or device storage), so coming back from a profile keeps the search. */
let lastFilter: Filter = { q: '', type: undefined, expertise: undefined };

const MAX_TAGS_ON_CARD = 4;

function DoctorCard({ doctor }: { doctor: PublicDoctor }) {
  const t = useDirectoryT();
  const navigate = useNavigate();
  const place = [doctor.hospital, doctor.department].filter(Boolean).join(' · ');
  const extra = doctor.expertise.length - MAX_TAGS_ON_CARD;
  return (
    <li>
      <button
        type="button"
        className="ax-dir-card"
        onClick={() => navigate(`/doctors/${encodeURIComponent(doctor.id)}`)}
        data-testid="doctor-card"
        data-doctor-id={doctor.id}
      >
        <DoctorAvatar name={doctor.name} url={doctor.avatarUrl} />
        <span className="ax-dir-card-main">
          <span className="ax-dir-card-name-row">
            <span className="ax-dir-card-name">{doctor.name}</span>
            {doctor.title && <span className="ax-dir-card-title">{doctor.title}</span>}
          </span>
          {place && <span className="ax-dir-card-place">{place}</span>}
          <span className="ax-dir-badges">
            <VerifiedBadge />
            <TypeBadge type={doctor.practitionerType} />
            {doctor.practitionerType === 'counsellor' && (
              <Tag color="default" fill="outline" className="ax-dir-tag">
                {t('directory.counsellorLabel')}
              </Tag>
            )}
          </span>
          {doctor.expertise.length > 0 && (
            <span className="ax-dir-expertise">
              {doctor.expertise.slice(0, MAX_TAGS_ON_CARD).map((tag) => (
                <span key={tag} className="ax-dir-expertise-tag">
                  {tag}
                </span>
              ))}
              {extra > 0 && <span className="ax-dir-expertise-more">{t('directory.moreTags', { count: extra })}</span>}
            </span>
          )}
        </span>
      </button>
    </li>
  );
}

function Chip({
  on,
  onClick,
  children,
  testId,
}: {
  on: boolean;
  onClick: () => void;
  children: ReactNode;
  testId: string;
}) {
  return (
    <button
      type="button"
      className={`ax-dir-chip${on ? ' ax-dir-chip-on' : ''}`}
      aria-pressed={on}
      onClick={onClick}
      data-testid={testId}
    >
      {children}
    </button>
  );
}

/** A link may open the list on one practitioner type (router state, e.g. counsellors for a first visit). */
function initialFilter(state: unknown): Filter {
  const type = (state as { type?: PractitionerType } | null)?.type;
  if (type && PRACTITIONER_TYPES.includes(type)) lastFilter = { q: '', type, expertise: undefined };
  return lastFilter;
}

/**
 * `/doctors` (patient app): search the verified doctors by name, expertise, title, hospital or department (on the
 * server), and filter them. Needs no consent and no sign-in.
 */
export function DirectoryPage() {
  const t = useDirectoryT();
  const pull = usePullCopy();
  const { state } = useLocation();
  const [initial] = useState(() => initialFilter(state));
  const [q, setQ] = useState(initial.q);
  const [query, setQuery] = useState(initial.q.trim());
  const [type, setType] = useState(initial.type);
  const [expertise, setExpertise] = useState(initial.expertise);

  // Search as the patient types, once they pause.
  useEffect(() => {
    const timer = window.setTimeout(() => setQuery(q.trim()), 300);
    return () => window.clearTimeout(timer);
  }, [q]);

  useEffect(() => {
    lastFilter = { q, type, expertise };
  }, [q, type, expertise]);

  const { data, error, loading, reload } = useResource(
    () => onboardingApi.publicDoctors({ q: query, type, expertise }),
    [query, type, expertise],
  );
  const filtered = query !== '' || type !== undefined || expertise !== undefined;
  const clear = () => {
    setQ('');
    setQuery('');
    setType(undefined);
    setExpertise(undefined);
  };
  const doctors = data?.doctors ?? [];

  return (
    <Page title={t('directory.title')} backTo="/">
      <div className="ax-dir-filters">
        <form
          role="search"
          className="ax-field-box ax-dir-search"
          onSubmit={(e) => {
            e.preventDefault();
            setQuery(q.trim());
            (document.activeElement as HTMLElement | null)?.blur();
          }}
        >
          <svg
            width="18"
            height="18"
            viewBox="0 0 24 24"
            fill="none"
            stroke="currentColor"
            strokeWidth={2}
            aria-hidden="true"
          >
            <circle cx="11" cy="11" r="6.5" />
            <path d="m16 16 4 4" strokeLinecap="round" />
          </svg>
          <input
            type="search"
            className="ax-field-input"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder={t('directory.searchPlaceholder')}
            aria-label={t('directory.searchLabel')}
            enterKeyHint="search"
            maxLength={DIRECTORY_SEARCH_MAX_LENGTH}
            autoComplete="off"
            data-testid="directory-search"
          />
          {q && (
            <button
              type="button"
              className="ax-dir-clear"
              onClick={() => setQ('')}
              aria-label={t('directory.clearSearch')}
            >
              ×
            </button>
          )}
        </form>
        <div className="ax-dir-chip-row" role="group" aria-label={t('directory.typeLabel')}>
          <Chip on={type === undefined} onClick={() => setType(undefined)} testId="directory-type-all">
            {t('directory.typeAll')}
          </Chip>
          {PRACTITIONER_TYPES.map((p) => (
            <Chip
              key={p}
              on={type === p}
              onClick={() => setType(type === p ? undefined : p)}
              testId={`directory-type-${p}`}
            >
              {t(`directory.types.${p}`)}
            </Chip>
          ))}
        </div>
        <div className="ax-dir-chip-row" role="group" aria-label={t('directory.expertiseLabel')}>
          <Chip on={expertise === undefined} onClick={() => setExpertise(undefined)} testId="directory-expertise-all">
            {t('directory.expertiseAll')}
          </Chip>
          {SUGGESTED_EXPERTISE.map((tag) => (
            <Chip
              key={tag}
              on={expertise === tag}
              onClick={() => setExpertise(expertise === tag ? undefined : tag)}
              testId={`directory-expertise-${tag}`}
            >
              {tag}
            </Chip>
          ))}
        </div>
      </div>
      <PullToRefresh onRefresh={reload} {...pull}>
        <div className="ax-list-page" data-testid="directory">
          {!data && loading && <LoadingView text={t('directory.loading')} />}
          {!data && error && (
            <ErrorView
              error={error}
              networkHint={t('directory.loadFailed')}
              onRetry={() => void reload()}
              testId="directory-error"
            />
          )}
          {data && error && <NoticeBar color="alert" wrap content={t('directory.loadFailed')} />}
          {data && doctors.length === 0 && (
            <EmptyView
              title={filtered ? t('directory.empty') : t('directory.emptyAll')}
              description={filtered ? t('directory.emptyHint') : t('directory.emptyAllHint')}
            >
              {filtered && (
                <Button color="primary" fill="outline" onClick={clear} data-testid="directory-clear">
                  {t('directory.clearFilters')}
                </Button>
              )}
            </EmptyView>
          )}
          {doctors.length > 0 && (
            <>
              <p className="ax-muted ax-intro" aria-live="polite">
                {t('directory.count', { count: doctors.length })} · {t('directory.intro')}
              </p>
              <ul className="ax-dir-list" aria-busy={loading}>
                {doctors.map((d) => (
                  <DoctorCard key={d.id} doctor={d} />
                ))}
              </ul>
            </>
          )}
        </div>
      </PullToRefresh>
    </Page>
  );
}
