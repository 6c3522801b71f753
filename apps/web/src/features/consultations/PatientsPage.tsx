import { Badge, Button, List, Skeleton } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { consultationApi } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/hooks';
import { Page } from '../../ui/mobile/Page';
import { EmptyView, ErrorView } from '../../ui/mobile/StatusViews';
import { useConsultT } from './i18n';
import { groupPatients, type PatientGroup } from './model';
import { patientFacts, patientLabel } from './patient';
import { StatusTag } from './StatusTag';

/** `/patients` and `/patients/:id` in the doctor app: everyone the doctor has consulted, and one patient's history. */
export function PatientsPage() {
  const t = useConsultT();
  const { i18n } = useTranslation();
  const navigate = useNavigate();
  const { id } = useParams();
  const { data, error, reload } = useResource(() => consultationApi.list(), []);
  const groups = data ? groupPatients(data.consultations) : [];
  // The same label as in the work queue and the chat (every consultation of a group carries the patient's code).
  const label = (g: PatientGroup) => patientLabel({ name: g.name, code: g.consultations[0]!.patient.code }, t);
  const one = id ? groups.find((g) => g.patientId === id) : undefined;

  const body = !data ? (
    error ? (
      <ErrorView error={error} title={t('consultations.patients.loadFailed')} onRetry={() => void reload()} />
    ) : (
      <section className="ax-card" aria-busy="true">
        <Skeleton.Paragraph lineCount={4} animated />
      </section>
    )
  ) : id && !one ? (
    <EmptyView title={t('consultations.patients.notFound')} description={t('consultations.patients.notFoundHint')}>
      <Button color="primary" fill="outline" onClick={() => navigate('/patients')}>
        {t('consultations.patients.title')}
      </Button>
    </EmptyView>
  ) : one ? (
    <List
      header={t('consultations.patients.history', { count: one.consultations.length })}
      data-testid="patient-history"
    >
      {one.consultations.map((c) => (
        <List.Item
          key={c.id}
          onClick={() => navigate(`/consultations/${encodeURIComponent(c.id)}`)}
          extra={<StatusTag status={c.status} />}
          description={
            <>
              {c.counselling
                ? t('consultations.counselling')
                : c.isFollowUp
                  ? t('consultations.followUp')
                  : t('consultations.firstVisit')}
              {' · '}
              {formatDateTime(c.createdAt)}
              {c.followUpOf && ` · ${t('consultations.patients.followsUp')}`}
              {c.concernSummary && <div className="ax-con-qitem-concern">{c.concernSummary}</div>}
            </>
          }
          data-testid="patient-consultation"
        >
          {t('consultations.caseNo', { no: c.id.slice(0, 4).toUpperCase() })}
        </List.Item>
      ))}
    </List>
  ) : groups.length === 0 ? (
    <EmptyView title={t('consultations.patients.empty')} description={t('consultations.patients.emptyHint')} />
  ) : (
    <List header={t('consultations.patients.count', { count: groups.length })} data-testid="patient-list">
      {groups.map((g) => (
        <List.Item
          key={g.patientId}
          onClick={() => navigate(`/patients/${encodeURIComponent(g.patientId)}`)}
          description={[
            patientFacts(g.consultations[0]!.patient, i18n.t),
            t('consultations.patients.summary', {
              count: g.consultations.length,
              time: formatDateTime(new Date(g.lastAt).toISOString()),
            }),
          ]
            .filter(Boolean)
            .join(' · ')}
          extra={
            g.unread > 0 ? (
              <Badge content={g.unread > 99 ? '99+' : g.unread} />
            ) : g.active > 0 ? (
              <span className="ax-small">{t('consultations.patients.ongoing')}</span>
            ) : undefined
          }
          data-testid="patient-item"
        >
          <span data-testid="patient-label">{label(g)}</span>
        </List.Item>
      ))}
    </List>
  );

  return (
    <Page title={one ? label(one) : t('consultations.patients.title')} backTo={id ? '/patients' : '/'}>
      <p className="ax-muted ax-small ax-con-patients-note">{t('consultations.patients.note')}</p>
      {body}
    </Page>
  );
}
