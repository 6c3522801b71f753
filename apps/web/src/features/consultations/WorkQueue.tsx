import type { ConsultationSummary } from '@anxin/contracts';
import { Badge, Button, Skeleton, Toast } from 'antd-mobile';
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { consultationApi, toApiError } from '../../lib/api';
import { useConnection } from '../../lib/connection';
import { formatDateTime, formatRelative } from '../../lib/format';
import { useResource } from '../../lib/hooks';
import { useReloadOnVisible } from './ConsultationListPage';
import { DeclineDialog } from './DeclineDialog';
import { useConsultT } from './i18n';
import { groupQueue, minutesSince } from './model';
import { patientFacts, patientLabel } from './patient';
import { StatusTag } from './StatusTag';

const REFRESH_MS = 15_000;

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

function Waiting({ since, now }: { since: string; now: number }) {
  const t = useConsultT();
  const minutes = minutesSince(since, now);
  const time =
    minutes < 1
      ? t('consultations.queue.justNow')
      : minutes < 60
        ? t('consultations.queue.minutes', { count: minutes })
        : t('consultations.queue.hours', { h: Math.floor(minutes / 60), m: minutes % 60 });
  return (
    <span
      className={minutes >= 30 ? 'ax-con-waiting ax-con-waiting-long' : 'ax-con-waiting'}
      data-testid="queue-waiting"
    >
      {t('consultations.queue.waiting', { time })}
    </span>
  );
}

function Item({
  c,
  now,
  busy,
  offline,
  onAccept,
  onDecline,
}: {
  c: ConsultationSummary;
  now: number;
  busy: boolean;
  /** Accepting or declining needs the server: not offline. */
  offline: boolean;
  onAccept: () => void;
  onDecline: () => void;
}) {
  const t = useConsultT();
  const { i18n } = useTranslation();
  const navigate = useNavigate();
  const open = () => navigate(`/consultations/${encodeURIComponent(c.id)}`);
  const facts = patientFacts(c.patient, i18n.t);
  return (
    <li className="ax-con-qitem" data-testid="queue-item" data-consultation-id={c.id} data-status={c.status}>
      <button type="button" className="ax-con-qitem-main" onClick={open}>
        <span className="ax-con-qitem-title">
          <span data-testid="queue-patient">{patientLabel(c.patient, t)}</span>
          {facts && (
            <span className="ax-muted ax-small" data-testid="queue-patient-facts">
              {' '}
              · {facts}
            </span>
          )}
        </span>
        {c.concernSummary && (
          <span className="ax-con-qitem-concern" data-testid="queue-concern">
            {t('consultations.queue.concern', { text: c.concernSummary })}
          </span>
        )}
        <span className="ax-con-qitem-meta">
          <StatusTag status={c.status} />
          <span className="ax-small ax-muted">
            {c.counselling
              ? t('consultations.counselling')
              : c.isFollowUp
                ? t('consultations.followUp')
                : t('consultations.firstVisit')}
          </span>
        </span>
        <span className="ax-small ax-muted">
          {c.status === 'requested' ? (
            <Waiting since={c.createdAt} now={now} />
          ) : c.status === 'active' ? (
            c.lastMessageAt ? (
              t('consultations.queue.lastMessage', { time: formatRelative(c.lastMessageAt, now) })
            ) : (
              t('consultations.queue.acceptedAt', { time: formatDateTime(c.acceptedAt ?? c.createdAt) })
            )
          ) : (
            t('consultations.queue.endedAt', { time: formatDateTime(c.endedAt ?? c.createdAt) })
          )}
        </span>
      </button>
      {c.unread > 0 && (
        <Badge
          className="ax-con-qitem-badge"
          content={
            <span data-testid="queue-unread" data-count={c.unread}>
              {c.unread > 99 ? '99+' : c.unread}
            </span>
          }
          aria-label={t('consultations.unread', { count: c.unread })}
        />
      )}
      {c.status === 'requested' && (
        <div className="ax-con-qitem-actions">
          <Button
            size="small"
            fill="outline"
            disabled={busy || offline}
            onClick={onDecline}
            data-testid="decline-consultation"
          >
            {t('consultations.queue.decline')}
          </Button>
          <Button
            size="small"
            color="primary"
            loading={busy}
            disabled={offline}
            onClick={onAccept}
            data-testid="accept-consultation"
          >
            {t('consultations.queue.accept')}
          </Button>
        </div>
      )}
    </li>
  );
}

function Section({
  kind,
  items,
  empty,
  children,
}: {
  kind: 'requested' | 'active' | 'ended';
  items: ConsultationSummary[];
  empty: string;
  children: (c: ConsultationSummary) => ReactNode;
}) {
  const t = useConsultT();
  return (
    <section className="ax-card ax-con-qsection" data-testid={`queue-${kind}`} data-count={items.length}>
      <h2 className="ax-section-title">
        {t(`consultations.queue.${kind}`)}
        {items.length > 0 && <span className="ax-con-qcount">{items.length}</span>}
      </h2>
      {items.length === 0 ? (
        <p className="ax-muted ax-small" data-testid="queue-empty">
          {empty}
        </p>
      ) : (
        <ul className="ax-con-qlist">{items.map(children)}</ul>
      )}
    </section>
  );
}

/** The approved doctor's home: requests waiting, consultations in progress, and recently ended ones. */
export function WorkQueue() {
  const t = useConsultT();
  const navigate = useNavigate();
  const { data, error, loading, reload } = useResource(() => consultationApi.list(), []);
  useReloadOnVisible(reload, REFRESH_MS);
  const now = useNow(30_000);
  const offline = useConnection() === 'offline';
  const [busyId, setBusyId] = useState<string | null>(null);
  const [declining, setDeclining] = useState<string | null>(null);

  const accept = async (id: string) => {
    setBusyId(id);
    try {
      await consultationApi.accept(id);
      Toast.show({ icon: 'success', content: t('consultations.queue.accepted') });
      navigate(`/consultations/${encodeURIComponent(id)}`);
    } catch (err) {
      const e = toApiError(err);
      Toast.show({
        content: e.code === 'CONSULTATION_STATE' ? t('consultations.queue.stateChanged') : e.message,
        duration: 3000,
      });
      void reload();
    } finally {
      setBusyId(null);
    }
  };

  if (!data) {
    return error ? (
      <section className="ax-card" data-testid="queue-error">
        <h1 className="ax-card-title">{t('consultations.queue.title')}</h1>
        <p className="ax-muted">{t('consultations.queue.loadFailed')}</p>
        <p className="ax-muted ax-small">{error.message}</p>
        <Button block fill="outline" color="primary" onClick={() => void reload()} data-testid="retry">
          {t('consultations.queue.refresh')}
        </Button>
      </section>
    ) : (
      <section className="ax-card" aria-busy="true" aria-label={t('consultations.queue.loading')}>
        <Skeleton.Title animated />
        <Skeleton.Paragraph lineCount={3} animated />
      </section>
    );
  }

  const q = groupQueue(data.consultations);
  const item = (c: ConsultationSummary) => (
    <Item
      key={c.id}
      c={c}
      now={now}
      busy={busyId === c.id}
      offline={offline}
      onAccept={() => void accept(c.id)}
      onDecline={() => setDeclining(c.id)}
    />
  );

  return (
    <div className="ax-con-queue" data-testid="work-queue">
      <div className="ax-con-queue-head">
        <Button
          size="mini"
          fill="outline"
          color="primary"
          onClick={() => navigate('/patients')}
          data-testid="to-patients"
        >
          {t('consultations.patients.title')}
        </Button>
        <span className="ax-muted ax-small">
          {offline ? '' : error ? t('consultations.list.refreshFailed') : t('consultations.queue.updated')}
        </span>
        <Button
          size="mini"
          fill="none"
          color="primary"
          loading={loading}
          onClick={() => void reload()}
          data-testid="queue-refresh"
        >
          {t('consultations.queue.refresh')}
        </Button>
      </div>
      {offline && (
        <p className="ax-muted ax-small ax-con-queue-offline" data-testid="queue-offline">
          {t('consultations.queue.offline')}
        </p>
      )}
      <Section kind="requested" items={q.requested} empty={t('consultations.queue.emptyRequested')}>
        {item}
      </Section>
      <Section kind="active" items={q.active} empty={t('consultations.queue.emptyActive')}>
        {item}
      </Section>
      <Section kind="ended" items={q.ended} empty={t('consultations.queue.emptyEnded')}>
        {item}
      </Section>
      <DeclineDialog
        consultationId={declining}
        onClose={() => setDeclining(null)}
        onDeclined={() => {
          setDeclining(null);
          Toast.show({ icon: 'success', content: t('consultations.decline.done') });
          void reload();
        }}
      />
    </div>
  );
}
