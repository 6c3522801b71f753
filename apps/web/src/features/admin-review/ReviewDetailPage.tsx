import type { PhotoSlot, ReviewDetail, RevealField } from '@anxin/contracts';
import { Alert, App, Button, Card, Col, Descriptions, Result, Row, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { reviewApi } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useResource } from '../../lib/hooks';
import { DetailPending } from '../admin/DetailPending';
import { Forbidden } from '../admin/Forbidden';
import { DecisionPanel, DecisionResult, type Decision } from './DecisionPanel';
import { OVERDUE_HOURS, photoField, revealableFields, submissionCount, waitingText } from './model';
import { PhotoTile } from './Photos';
import { PrecheckPanel } from './PrecheckPanel';
import { RevealDialog } from './RevealDialog';
import { ReviewTimeline } from './ReviewTimeline';
import { useReviewT, type ReviewKey } from './text';
import { formatCountdown, useReveal, type RevealView } from './useReveal';

const STATUS_COLOR: Record<ReviewDetail['status'], string> = {
  draft: 'default',
  submitted: 'processing',
  changes_requested: 'warning',
  approved: 'success',
  rejected: 'error',
};

/** `/reviews/:id` — one application, masked until the reviewer reveals fields with a purpose. */
export function ReviewDetailPage() {
  const { id = '' } = useParams();
  // A fresh page per application: nothing revealed for one applicant is ever shown on another's page.
  return <ReviewDetailView key={id} id={id} />;
}

function ReviewDetailView({ id }: { id: string }) {
  const rt = useReviewT();
  const { message } = App.useApp();
  const { data, error, loading, reload } = useResource(() => reviewApi.detail(id), [id]);
  const reveal = useReveal();
  const [dialog, setDialog] = useState<{ n: number; fields: RevealField[] }>();
  const [decided, setDecided] = useState<ReviewDetail>();
  const [justDecided, setJustDecided] = useState<Decision>();

  if (error?.status === 403) return <Forbidden detail={rt('forbidden')} />;

  const back = (
    <Link to="/reviews" data-testid="review-back">
      {`← ${rt('detail.back')}`}
    </Link>
  );

  const detail = decided ?? data;
  if (!detail) {
    // 400: the id in the address is not an application id at all.
    if (error?.status === 404 || error?.status === 400) {
      return (
        <Result
          status="404"
          title={rt('detail.notFoundTitle')}
          subTitle={rt('detail.notFoundBody')}
          extra={
            <Link to="/reviews">
              <Button type="primary">{rt('detail.back')}</Button>
            </Link>
          }
          data-testid="review-not-found"
        />
      );
    }
    return (
      <DetailPending
        error={error}
        loading={loading}
        reload={reload}
        back={back}
        text={{
          loading: rt('detail.loading'),
          loadFailed: rt('detail.loadFailed'),
          retry: rt('detail.retry'),
        }}
      />
    );
  }

  const openReveal = (fields: RevealField[] = []) => setDialog((d) => ({ n: (d?.n ?? 0) + 1, fields }));
  const canReveal = revealableFields(detail).length > 0;

  const onDecided = async (next: ReviewDetail, decision: Decision) => {
    setDecided(next);
    setJustDecided(decision);
    void message.success(rt(`decision.done.${decision}`));
    await reload();
    setDecided(undefined);
  };

  const submissions = submissionCount(detail);
  const waitingHours =
    detail.status === 'submitted' && detail.submittedAt
      ? (Date.now() - Date.parse(detail.submittedAt)) / 3_600_000
      : null;
  const waiting = waitingHours !== null && Number.isFinite(waitingHours) ? waitingText(waitingHours) : null;

  return (
    <div data-testid="review-detail" data-application-id={detail.id} data-status={detail.status}>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {back}
        <div className="ax-admin-page-head">
          <div>
            <Space size="small" wrap align="center">
              <Typography.Title level={3} style={{ margin: 0 }}>
                {detail.form.basic?.name || rt('detail.title')}
              </Typography.Title>
              <Tag color={STATUS_COLOR[detail.status]} data-testid="review-status">
                {rt(`status.${detail.status}`)}
              </Tag>
              {submissions > 1 && <Tag color="blue">{rt('detail.resubmission', { count: submissions })}</Tag>}
            </Space>
            <div>
              <Typography.Text type="secondary">
                {detail.submittedAt
                  ? rt('detail.submittedAt', { time: formatDateTime(detail.submittedAt) })
                  : rt('detail.notSubmitted')}
              </Typography.Text>
              {waiting && waitingHours !== null && (
                <Typography.Text
                  type={waitingHours > OVERDUE_HOURS ? 'danger' : 'secondary'}
                  strong={waitingHours > OVERDUE_HOURS}
                >
                  {' · '}
                  {rt(waiting.key, waiting.vars)}
                </Typography.Text>
              )}
            </div>
          </div>
          <Space>
            <Button onClick={() => void reload()} loading={loading} data-testid="review-detail-refresh">
              {rt('queue.refresh')}
            </Button>
            <Button type="primary" ghost onClick={() => openReveal()} disabled={!canReveal} data-testid="reveal-open">
              {rt('reveal.open')}
            </Button>
          </Space>
        </div>

        {error && <Alert type="error" showIcon title={error.message} description={rt('detail.loadFailed')} />}
      </Space>

      {/* Outside the Space so it can stick to the top of the whole page while scrolling. */}
      <RevealBanner reveal={reveal} />

      <Row gutter={[16, 16]} align="top" className="ax-review-body">
        <Col span={15}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <ApplicantSections detail={detail} reveal={reveal} />
            <Card title={rt('detail.sections.photos')} size="small">
              <div data-testid="review-photos">
                {detail.photoSlots.length === 0 ? (
                  <Typography.Text type="secondary">{rt('detail.photosEmpty')}</Typography.Text>
                ) : (
                  <>
                    <Typography.Paragraph type="secondary">{rt('detail.photosIntro')}</Typography.Paragraph>
                    <div className="ax-review-photos">
                      {detail.photoSlots.map((slot: PhotoSlot) => (
                        <PhotoTile
                          key={slot}
                          applicationId={detail.id}
                          slot={slot}
                          revealed={reveal.photos.has(slot)}
                          onRequestFull={(s) => openReveal([photoField(s)])}
                        />
                      ))}
                    </div>
                  </>
                )}
              </div>
            </Card>
          </Space>
        </Col>
        <Col span={9}>
          <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
            <PrecheckPanel precheck={detail.precheck} />
            {detail.status === 'submitted' ? (
              <DecisionPanel
                detail={detail}
                onDecided={(next, decision) => void onDecided(next, decision)}
                onStale={() => void reload()}
              />
            ) : (
              <DecisionResult detail={detail} justDecided={justDecided} />
            )}
            <ReviewTimeline events={detail.timeline} />
          </Space>
        </Col>
      </Row>

      {dialog && (
        <RevealDialog
          key={dialog.n}
          detail={detail}
          initialFields={dialog.fields}
          onClose={() => setDialog(undefined)}
          onRevealed={(reply) => {
            reveal.add(reply);
            setDialog(undefined);
          }}
        />
      )}
    </div>
  );
}

function RevealBanner({ reveal }: { reveal: RevealView }) {
  const rt = useReviewT();
  if (reveal.active) {
    return (
      <Alert
        type="warning"
        showIcon
        title={
          <span data-testid="reveal-expiry">{rt('reveal.active', { time: formatCountdown(reveal.secondsLeft) })}</span>
        }
        description={rt('reveal.activeDetail')}
        className="ax-review-reveal-banner"
        action={
          <Button size="small" onClick={reveal.hideAll} data-testid="reveal-hide">
            {rt('reveal.hideNow')}
          </Button>
        }
        data-testid="reveal-active"
      />
    );
  }
  if (reveal.expired) {
    return (
      <Alert
        type="info"
        showIcon
        title={rt('reveal.expired')}
        closable={{ onClose: reveal.dismissExpired }}
        className="ax-review-reveal-expired"
        data-testid="reveal-expired"
      />
    );
  }
  return null;
}

const Missing = () => {
  const rt = useReviewT();
  return <Typography.Text type="secondary">{rt('detail.notProvided')}</Typography.Text>;
};

const orMissing = (value: string | null | undefined): ReactNode => (value?.trim() ? value : <Missing />);

/** A number shown masked, or in full while a reveal of it is live. Never unmasked on the client. */
function SensitiveNumber({ masked, revealed, testId }: { masked: string | null; revealed?: string; testId: string }) {
  const rt = useReviewT();
  if (revealed !== undefined) {
    return (
      <Space size={6}>
        <Typography.Text code className="ax-review-number" data-testid={`revealed-${testId}`}>
          {revealed}
        </Typography.Text>
        <Tag color="orange">{rt('detail.revealedTag')}</Tag>
      </Space>
    );
  }
  if (masked === null) {
    return (
      <span data-testid={`masked-${testId}`}>
        <Missing />
      </span>
    );
  }
  return (
    <Space size={6}>
      <Typography.Text code className="ax-review-number" data-testid={`masked-${testId}`}>
        {masked}
      </Typography.Text>
      <Typography.Text type="secondary" className="ax-review-small">
        {rt('detail.maskedHint')}
      </Typography.Text>
    </Space>
  );
}

function ApplicantSections({ detail, reveal }: { detail: ReviewDetail; reveal: RevealView }) {
  const rt = useReviewT();
  const basic = detail.form.basic ?? {};
  const pro = detail.form.professional ?? {};
  const bio = pro.biography ?? {};
  const item = (key: ReviewKey, children: ReactNode, span?: number) => ({
    key,
    label: rt(key),
    children,
    ...(span ? { span } : {}),
  });

  const location = [pro.province, pro.city].filter(Boolean).join(' ');
  const bioParts = (['education', 'practice', 'academic', 'cases'] as const).filter((k) => bio[k]?.trim());

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Card title={rt('detail.sections.basic')} size="small">
        <Descriptions
          column={2}
          size="small"
          data-testid="review-section-basic"
          items={[
            item('detail.field.name', orMissing(basic.name)),
            item(
              'detail.field.idNumber',
              <SensitiveNumber masked={detail.masked.idNumber} revealed={reveal.idNumber} testId="id-number" />,
            ),
            item(
              'detail.field.genderAge',
              detail.derived ? (
                <span data-testid="review-derived">
                  {rt('detail.field.genderAgeValue', {
                    gender: rt(`gender.${detail.derived.gender}`),
                    age: detail.derived.age,
                  })}{' '}
                  <Typography.Text type="secondary" className="ax-review-small">
                    ({rt('detail.field.genderAgeDerived')})
                  </Typography.Text>
                </span>
              ) : (
                <Typography.Text type="secondary">{rt('detail.field.genderAgeUnknown')}</Typography.Text>
              ),
            ),
            item('detail.field.contactPhone', orMissing(basic.contactPhone)),
            item('detail.field.email', orMissing(basic.email)),
            item(
              'detail.field.source',
              basic.source ? (
                <span>
                  {rt(`source.${basic.source}`)}
                  {basic.sourceNote ? `（${basic.sourceNote}）` : ''}
                </span>
              ) : (
                <Missing />
              ),
            ),
          ]}
        />
      </Card>

      <Card title={rt('detail.sections.credentials')} size="small">
        <Descriptions
          column={1}
          size="small"
          data-testid="review-section-credentials"
          items={[
            item(
              'detail.field.practiceCertNo',
              <SensitiveNumber
                masked={detail.masked.practiceCertNo}
                revealed={reveal.practiceCertNo}
                testId="practice-cert-no"
              />,
            ),
            item(
              'detail.field.qualificationCertNo',
              <SensitiveNumber
                masked={detail.masked.qualificationCertNo}
                revealed={reveal.qualificationCertNo}
                testId="qualification-cert-no"
              />,
            ),
          ]}
        />
      </Card>

      <Card title={rt('detail.sections.professional')} size="small">
        <Descriptions
          column={2}
          size="small"
          data-testid="review-section-professional"
          items={[
            item(
              'detail.field.practitionerType',
              pro.practitionerType ? rt(`practitionerType.${pro.practitionerType}`) : <Missing />,
            ),
            item('detail.field.hospital', orMissing(pro.hospital)),
            item('detail.field.location', orMissing(location)),
            item('detail.field.level', orMissing(pro.level)),
            item('detail.field.department', orMissing(pro.department)),
            item('detail.field.title', orMissing(pro.title)),
            item('detail.field.position', orMissing(pro.position)),
            item('detail.field.category', orMissing(pro.category)),
            item('detail.field.clinicalField', orMissing(pro.clinicalField)),
            item('detail.field.employedSpecialty', orMissing(pro.employedSpecialty)),
            item('detail.field.workStartDate', orMissing(pro.workStartDate)),
            item('detail.field.staffNumber', orMissing(pro.staffNumber)),
            item(
              'detail.field.isExpert',
              pro.isExpert === undefined ? (
                <Missing />
              ) : pro.isExpert ? (
                rt('detail.field.isExpertYes')
              ) : (
                rt('detail.field.isExpertNo')
              ),
            ),
            item('detail.field.team', orMissing(pro.team)),
            item(
              'detail.field.expertise',
              pro.expertise?.length ? (
                <Space size={[4, 4]} wrap>
                  {pro.expertise.map((e) => (
                    <Tag key={e}>{e}</Tag>
                  ))}
                </Space>
              ) : (
                <Missing />
              ),
              2,
            ),
          ]}
        />
      </Card>

      <Card title={rt('detail.sections.biography')} size="small">
        <div data-testid="review-section-biography">
          {bioParts.length === 0 ? (
            <Typography.Text type="secondary">{rt('detail.biographyEmpty')}</Typography.Text>
          ) : (
            bioParts.map((k) => (
              <div key={k} className="ax-review-bio">
                <Typography.Text strong>{rt(`detail.field.${k}`)}</Typography.Text>
                <Typography.Paragraph className="ax-review-prewrap">{bio[k]}</Typography.Paragraph>
              </div>
            ))
          )}
        </div>
      </Card>
    </Space>
  );
}
