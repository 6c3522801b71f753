import type { ConsultationDetail, EndCrisisResolution, Message } from '@anxin/contracts';
import { Button, Dialog, Popup, Toast } from 'antd-mobile';
import { useState, type KeyboardEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import { consultationApi, toApiError } from '../../lib/api';
import { formatDateTime } from '../../lib/format';
import { useConnection } from '../../lib/connection';
import { useMobileApp } from '../../ui/mobile/AppContext';
import { Page } from '../../ui/mobile/Page';
import { EmptyView, ErrorView, LoadingView } from '../../ui/mobile/StatusViews';
import { CrisisEndSheet, CrisisPanel, pendingEscalation, useCrisis } from '../crisis';
import { useMe } from '../session/SessionContext';
import { DeclineDialog } from './DeclineDialog';
import { useTranslation } from 'react-i18next';
import { useConsultT } from './i18n';
import { ImageContent, ImagePicker, PendingFileContent, VoiceContent, VoiceRecorder } from './ChatMedia';
import type { PendingFile, PendingMessage } from './model';
import { patientFacts, patientLabel } from './patient';
import { StatusTag } from './StatusTag';
import { useChat, type ConnectionState } from './useChat';
import { useFollowScroll } from './useFollowScroll';
import { CallButtons, CallEntry, mergeTimeline, useCallRecords } from '../calls';

function timeOf(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const sameDay = d.toDateString() === new Date().toDateString();
  return sameDay
    ? d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', hour12: false })
    : formatDateTime(iso);
}

/** The patient continues an ended consultation with the same doctor: a new request linked to this one. */
function FollowUpButton({ consultationId }: { consultationId: string }) {
  const t = useConsultT();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [concern, setConcern] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const valid = concern.trim().length >= 2;
  const submit = async () => {
    if (!valid) {
      setError(t('consultations.followUpForm.invalid'));
      return;
    }
    setBusy(true);
    try {
      const next = await consultationApi.followUp(consultationId, concern.trim());
      setOpen(false);
      Toast.show({ icon: 'success', content: t('consultations.followUpForm.done') });
      navigate(`/consultations/${encodeURIComponent(next.id)}`);
    } catch (err) {
      setError(toApiError(err).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button size="small" color="primary" fill="outline" onClick={() => setOpen(true)} data-testid="follow-up">
        {t('consultations.followUpForm.button')}
      </Button>
      <Popup visible={open} onMaskClick={() => setOpen(false)} bodyClassName="ax-con-sheet">
        <div role="dialog" aria-label={t('consultations.followUpForm.title')}>
          <h2 className="ax-con-sheet-title">{t('consultations.followUpForm.title')}</h2>
          <p className="ax-muted ax-small">{t('consultations.followUpForm.hint')}</p>
          <textarea
            className="ax-con-input ax-con-followup-input"
            rows={4}
            maxLength={1000}
            value={concern}
            onChange={(e) => {
              setConcern(e.target.value);
              setError(undefined);
            }}
            placeholder={t('consultations.followUpForm.placeholder')}
            aria-label={t('consultations.followUpForm.title')}
            data-testid="follow-up-concern"
          />
          {error && (
            <div className="ax-field-message ax-field-message-error" role="alert">
              {error}
            </div>
          )}
          <div className="ax-actions">
            <Button block color="primary" loading={busy} onClick={() => void submit()} data-testid="follow-up-submit">
              {t('consultations.followUpForm.submit')}
            </Button>
            <Button block fill="none" onClick={() => setOpen(false)}>
              {t('consultations.decline.cancel')}
            </Button>
          </div>
        </div>
      </Popup>
    </>
  );
}

/** In place of the message box whenever nothing can be sent: why, and what to do next. */
function ClosedNotice({ c, doctor, offline }: { c: ConsultationDetail; doctor: boolean; offline: boolean }) {
  const t = useConsultT();
  const navigate = useNavigate();
  const reason = c.status === 'active' && offline ? 'offline' : c.status;
  const tone = reason === 'declined' ? 'danger' : reason === 'ended' ? 'muted' : 'info';
  return (
    <div
      className={`ax-con-banner ax-con-closed ax-con-banner-${tone}`}
      role="status"
      data-testid="chat-closed"
      data-reason={reason}
    >
      {reason === 'offline' && (
        <>
          <div className="ax-con-banner-title">{t('consultations.chat.closed.offline')}</div>
          <div className="ax-small">{t('consultations.chat.closed.offlineHint')}</div>
        </>
      )}
      {reason === 'requested' &&
        (doctor ? (
          <div className="ax-small">{t('consultations.chat.closed.requestedDoctor')}</div>
        ) : (
          <>
            <div className="ax-con-banner-title">{t('consultations.chat.closed.requested')}</div>
            <div className="ax-small">{t('consultations.chat.closed.requestedHint')}</div>
          </>
        ))}
      {reason === 'declined' && (
        <>
          <div className="ax-con-banner-title">
            {doctor ? t('consultations.chat.closed.declinedDoctor') : t('consultations.chat.closed.declined')}
          </div>
          {c.declineReason && (
            <div className="ax-small" data-testid="chat-decline-reason">
              {t('consultations.chat.closed.declinedReason', { reason: c.declineReason })}
            </div>
          )}
          {!doctor && (
            <>
              <div className="ax-small">{t('consultations.chat.closed.declinedHint')}</div>
              <Button size="small" color="primary" fill="outline" onClick={() => navigate('/doctors')}>
                {t('consultations.chat.closed.findDoctor')}
              </Button>
            </>
          )}
        </>
      )}
      {reason === 'ended' && (
        <>
          <div className="ax-con-banner-title">
            {c.endedReason === 'idle'
              ? t('consultations.chat.closed.endedIdle')
              : c.endedReason === 'account_closed'
                ? t('consultations.chat.closed.endedAccountClosed')
                : t('consultations.chat.closed.ended')}
          </div>
          <div className="ax-small">
            {doctor ? t('consultations.chat.closed.endedHintDoctor') : t('consultations.chat.closed.endedHint')}
          </div>
          {!doctor && <FollowUpButton consultationId={c.id} />}
        </>
      )}
    </div>
  );
}

/** "新消息" while the reader is scrolled up: how many arrived; a tap takes them to the newest. */
function NewMessagesPill({ count, onClick }: { count: number; onClick: () => void }) {
  const t = useConsultT();
  return (
    <div className="ax-con-pill-slot" aria-live="polite">
      {count > 0 && (
        <button
          type="button"
          className="ax-con-pill"
          onClick={onClick}
          aria-label={t('consultations.chat.newMessagesLabel', { count })}
          data-testid="new-messages-pill"
          data-count={count}
        >
          <span aria-hidden="true">↓</span> {t('consultations.chat.newMessages', { count })}
        </button>
      )}
    </div>
  );
}

function Bubble({
  m,
  mine,
  read,
  consultationId,
}: {
  m: Message;
  mine: boolean;
  read: boolean;
  consultationId: string;
}) {
  const t = useConsultT();
  return (
    <div
      className={mine ? 'ax-con-msg ax-con-msg-mine' : 'ax-con-msg'}
      data-testid="chat-message"
      data-seq={m.seq}
      data-mine={mine}
      data-kind={m.kind}
    >
      {m.kind === 'text' && <div className="ax-con-bubble">{m.text}</div>}
      {m.kind === 'image' && <ImageContent consultationId={consultationId} m={m} />}
      {m.kind === 'voice' && (
        <VoiceContent
          src={consultationApi.mediaUrl(consultationId, m.seq, 'audio')}
          durationMs={m.media?.durationMs ?? 0}
          mine={mine}
        />
      )}
      <div className="ax-con-meta">
        <time dateTime={m.createdAt}>{timeOf(m.createdAt)}</time>
        {mine && (
          <span
            className={read ? 'ax-con-receipt' : 'ax-con-receipt ax-con-receipt-unread'}
            data-testid="message-receipt"
            data-read={read}
          >
            {read ? t('consultations.chat.read') : t('consultations.chat.unread')}
          </span>
        )}
      </div>
    </div>
  );
}

function PendingBubble({ p, onRetry }: { p: PendingMessage; onRetry: () => void }) {
  const t = useConsultT();
  const failed = p.status === 'failed';
  return (
    <div
      className="ax-con-msg ax-con-msg-mine ax-con-msg-pending"
      data-testid={failed ? 'message-failed' : 'message-pending'}
      data-client-id={p.clientId}
    >
      {p.file ? <PendingFileContent file={p.file} /> : <div className="ax-con-bubble">{p.text}</div>}
      <div className="ax-con-meta">
        {failed ? (
          <button type="button" className="ax-con-retry" onClick={onRetry} data-testid="message-retry">
            {p.error ? t('consultations.chat.failedReason', { message: p.error }) : t('consultations.chat.failed')}
          </button>
        ) : (
          <span>{t('consultations.chat.sending')}</span>
        )}
      </div>
    </div>
  );
}

function ConnectionLine({ state }: { state: ConnectionState }) {
  const t = useConsultT();
  return (
    <div className={`ax-con-conn ax-con-conn-${state}`} data-testid="connection-state" data-state={state} role="status">
      <span className="ax-con-conn-dot" aria-hidden="true" />
      {t(`consultations.chat.connection.${state}`)}
    </div>
  );
}

/** Shown only while messages can be sent (otherwise ClosedNotice says why). */
function Composer({ onSend, onSendFile }: { onSend: (text: string) => void; onSendFile: (file: PendingFile) => void }) {
  const t = useConsultT();
  const [text, setText] = useState('');
  const [picking, setPicking] = useState(false);
  const [recording, setRecording] = useState(false);
  const tooLong = text.length > 4000;
  const canSend = text.trim().length > 0 && !tooLong;
  const submit = () => {
    if (!canSend) return;
    onSend(text);
    setText('');
  };
  const onKeyDown = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    // Ctrl/⌘+Enter sends; a plain Enter is a new line (as on a phone keyboard).
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      submit();
    }
  };
  return (
    <div className="ax-con-composer">
      <button
        type="button"
        className="ax-con-tool"
        onClick={() => setRecording(true)}
        aria-label={t('consultations.media.voiceTitle')}
        data-testid="chat-voice-button"
      >
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
          <path
            fill="currentColor"
            d="M12 14a3 3 0 0 0 3-3V5a3 3 0 0 0-6 0v6a3 3 0 0 0 3 3Zm5-3a5 5 0 0 1-10 0H5a7 7 0 0 0 6 6.92V21h2v-3.08A7 7 0 0 0 19 11h-2Z"
          />
        </svg>
      </button>
      <button
        type="button"
        className="ax-con-tool"
        onClick={() => setPicking(true)}
        aria-label={t('consultations.media.imageTitle')}
        data-testid="chat-image-button"
      >
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
          <path
            fill="currentColor"
            d="M19 5H5a2 2 0 0 0-2 2v10a2 2 0 0 0 2 2h14a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2Zm0 12H5l4-5 3 3.5 2-2.5 5 4ZM8.5 10A1.5 1.5 0 1 0 8.5 7a1.5 1.5 0 0 0 0 3Z"
          />
        </svg>
      </button>
      <ImagePicker
        open={picking}
        onClose={() => setPicking(false)}
        onPicked={(blob) => onSendFile({ kind: 'image', blob })}
      />
      <VoiceRecorder open={recording} onClose={() => setRecording(false)} onSend={onSendFile} />
      <textarea
        className="ax-con-input"
        rows={1}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        placeholder={t('consultations.chat.placeholder')}
        aria-label={t('consultations.chat.placeholder')}
        aria-invalid={tooLong ? true : undefined}
        data-testid="chat-input"
      />
      <Button color="primary" disabled={!canSend} onClick={submit} data-testid="chat-send">
        {t('consultations.chat.send')}
      </Button>
      {tooLong && (
        <div className="ax-field-message ax-field-message-error ax-con-toolong" role="alert">
          {t('consultations.chat.tooLong')}
        </div>
      )}
    </div>
  );
}

function Conversation({ id }: { id: string }) {
  const t = useConsultT();
  const { i18n } = useTranslation();
  const app = useMobileApp();
  const me = useMe();
  const navigate = useNavigate();
  const chat = useChat(id, me.id);
  const calls = useCallRecords(id);
  const { data: c, error, reload } = chat.detail;
  const isDoctor = app === 'doctor';
  const backTo = isDoctor ? '/' : '/consultations';
  const [declining, setDeclining] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The app's real connection (the socket and a server probe), not navigator.onLine alone.
  const online = useConnection() !== 'offline';
  const crisis = useCrisis(id, isDoctor ? 'doctor' : 'patient');
  const [endSheet, setEndSheet] = useState(false);
  const [endError, setEndError] = useState<string>();

  // Opens at the newest message and follows new ones while the reader is there (CON-1).
  const timeline = mergeTimeline(chat.messages, calls.records);
  const follow = useFollowScroll(c !== undefined, timeline.length + chat.pending.length);
  const send = (text: string) => {
    follow.toEnd();
    chat.send(text);
  };
  const sendFile = (file: PendingFile) => {
    follow.toEnd();
    chat.sendFile(file);
  };

  const act = async (run: () => Promise<unknown>, done: string) => {
    setBusy(true);
    try {
      await run();
      Toast.show({ icon: 'success', content: done });
    } catch (err) {
      Toast.show({ content: toApiError(err).message, duration: 3000 });
    } finally {
      setBusy(false);
      void reload();
    }
  };

  // CON-4: with an unacknowledged crisis alert, ending needs the second step (the server refuses otherwise).
  const finishEnd = async (resolution?: EndCrisisResolution) => {
    setBusy(true);
    setEndError(undefined);
    try {
      await consultationApi.end(id, resolution);
      setEndSheet(false);
      Toast.show({ icon: 'success', content: t('consultations.chat.ended') });
    } catch (err) {
      const e = toApiError(err);
      if (e.code === 'CONSULTATION_CRISIS_UNACKNOWLEDGED' || e.code === 'CONSULTATION_CRISIS_CHANGED') {
        await crisis.reload();
        setEndSheet(true);
        setEndError(e.message);
      } else if (resolution) setEndError(e.message);
      else Toast.show({ content: e.message, duration: 3000 });
    } finally {
      setBusy(false);
      void crisis.reload();
      void reload();
    }
  };
  const end = async () => {
    if (pendingEscalation(crisis)) {
      setEndError(undefined);
      setEndSheet(true);
      return;
    }
    const ok = await Dialog.confirm({
      title: t('consultations.chat.endTitle'),
      content: t('consultations.chat.endBody'),
      confirmText: <span data-testid="end-confirm">{t('consultations.chat.endConfirm')}</span>,
      cancelText: t('consultations.decline.cancel'),
    });
    if (ok) await finishEnd();
  };

  if (!c) {
    const notFound = error?.status === 404 || error?.code === 'CONSULTATION_NOT_FOUND';
    return (
      <Page title={t('consultations.list.title')} backTo={backTo}>
        {!error && <LoadingView text={t('consultations.chat.loading')} />}
        {error && notFound && (
          <EmptyView title={t('consultations.chat.notFound')} description={t('consultations.chat.notFoundHint')}>
            <Button color="primary" fill="outline" onClick={() => navigate(backTo)}>
              {t('consultations.chat.back')}
            </Button>
          </EmptyView>
        )}
        {error && !notFound && (
          <ErrorView
            error={error}
            title={t('consultations.chat.loadFailed')}
            onRetry={() => void reload()}
            testId="chat-error"
          />
        )}
      </Page>
    );
  }

  const title = isDoctor ? patientLabel(c.patient, t) : c.doctor.name;
  // What the patient chose to share (age band, sex), under their label, for the doctor only.
  const facts = isDoctor ? patientFacts(c.patient, i18n.t) : '';
  const active = c.status === 'active';

  return (
    <Page
      title={
        <div className="ax-con-title" data-testid="chat-title">
          <div>{title}</div>
          {facts && (
            <div className="ax-con-title-sub" data-testid="chat-patient-facts">
              {facts}
            </div>
          )}
          {c.counselling && <div className="ax-con-title-sub">{t('consultations.counselling')}</div>}
        </div>
      }
      backTo={backTo}
      right={
        <>
          <CallButtons consultationId={c.id} active={active} />
          {isDoctor && active ? (
            <Button
              size="mini"
              fill="none"
              color="danger"
              loading={busy}
              onClick={() => void end()}
              data-testid="end-consultation"
            >
              {t('consultations.chat.end')}
            </Button>
          ) : null}
        </>
      }
      footer={
        <>
          {/* Offline, ClosedNotice says so instead (the socket may not have noticed yet). */}
          {online && c.status !== 'ended' && c.status !== 'declined' && <ConnectionLine state={chat.connection} />}
          {isDoctor && c.status === 'requested' && (
            <div className="ax-con-doctor-actions">
              <Button
                block
                fill="outline"
                disabled={busy}
                onClick={() => setDeclining(c.id)}
                data-testid="decline-consultation"
              >
                {t('consultations.queue.decline')}
              </Button>
              <Button
                block
                color="primary"
                loading={busy}
                onClick={() => void act(() => consultationApi.accept(id), t('consultations.queue.accepted'))}
                data-testid="accept-consultation"
              >
                {t('consultations.queue.accept')}
              </Button>
            </div>
          )}
          {active && online ? (
            <Composer onSend={send} onSendFile={sendFile} />
          ) : (
            <ClosedNotice c={c} doctor={isDoctor} offline={!online} />
          )}
        </>
      }
    >
      <div className="ax-con-chat" data-testid="chat" data-status={c.status} data-consultation-id={c.id}>
        {/* Pinned in its own space above the messages: it never covers the message it is about (CON-4). */}
        <div className="ax-con-pinned" data-testid="chat-pinned">
          <CrisisPanel crisis={crisis} role={isDoctor ? 'doctor' : 'patient'} onShowMessage={follow.showSeq} />
        </div>
        <div className="ax-con-scroll-wrap">
          <div className="ax-con-scroll" ref={follow.scroller} data-testid="chat-scroll" data-at-end={follow.atEnd}>
            <div className="ax-con-scroll-content" ref={follow.content}>
              <section className="ax-card ax-con-concern" data-testid="chat-concern">
                <div className="ax-con-concern-head">
                  <span className="ax-section-title">{t('consultations.chat.concern')}</span>
                  <StatusTag status={c.status} />
                </div>
                <p className="ax-con-concern-text">{c.concern}</p>
                <div className="ax-muted ax-small">
                  {c.counselling
                    ? t('consultations.counselling')
                    : c.isFollowUp
                      ? t('consultations.chat.followUp')
                      : t('consultations.chat.firstVisit')}{' '}
                  · {formatDateTime(c.createdAt)}
                </div>
                {c.followUpOf && (
                  <button
                    type="button"
                    className="ax-con-retry ax-small"
                    onClick={() => navigate(`/consultations/${encodeURIComponent(c.followUpOf ?? '')}`)}
                    data-testid="follow-up-of"
                  >
                    {t('consultations.followUpForm.previous')}
                  </button>
                )}
              </section>

              {chat.historyError && (
                <div className="ax-con-banner ax-con-banner-danger" role="alert" data-testid="chat-history-error">
                  {t('consultations.chat.historyFailed', { message: chat.historyError.message })}{' '}
                  <button type="button" className="ax-con-retry" onClick={chat.reloadHistory}>
                    {t('consultations.chat.historyRetry')}
                  </button>
                </div>
              )}

              <div className="ax-con-messages" data-testid="chat-messages" aria-live="polite">
                {chat.historyLoaded && chat.messages.length === 0 && chat.pending.length === 0 && (
                  <div className="ax-con-empty ax-muted ax-small" data-testid="chat-empty">
                    {active ? t('consultations.chat.emptyActive') : t('consultations.chat.empty')}
                  </div>
                )}
                {timeline.map((item) => {
                  if (item.type === 'call') return <CallEntry key={item.call.id} call={item.call} myId={me.id} />;
                  const m = item.message;
                  const mine = m.senderId === me.id;
                  return (
                    <Bubble
                      key={m.seq}
                      m={m}
                      mine={mine}
                      read={mine && m.seq <= chat.otherReadSeq}
                      consultationId={c.id}
                    />
                  );
                })}
                {chat.pending.map((p) => (
                  <PendingBubble key={p.clientId} p={p} onRetry={() => chat.retry(p.clientId)} />
                ))}
              </div>
            </div>
          </div>
          <NewMessagesPill count={follow.atEnd ? 0 : follow.unseen} onClick={() => follow.toEnd(true)} />
        </div>
      </div>
      {isDoctor && (
        <CrisisEndSheet
          crisis={crisis}
          open={endSheet}
          busy={busy}
          error={endError}
          onClose={() => setEndSheet(false)}
          onEnd={(resolution) => void finishEnd(resolution)}
        />
      )}
      <DeclineDialog
        consultationId={declining}
        onClose={() => setDeclining(null)}
        onDeclined={() => {
          setDeclining(null);
          Toast.show({ icon: 'success', content: t('consultations.decline.done') });
          void reload();
        }}
      />
    </Page>
  );
}

/** `/consultations/:id` in both apps: the conversation of one consultation. */
export function ChatPage() {
  const { id = '' } = useParams();
  // A fresh conversation (socket, pending messages) per consultation.
  return <Conversation key={id} id={id} />;
}
