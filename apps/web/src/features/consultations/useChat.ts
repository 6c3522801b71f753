import type { ConsultationDetail, Message, ServerFrame } from '@anxin/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { consultationApi, toApiError, type ApiError } from '../../lib/api';
import { useResource, type Resource } from '../../lib/hooks';
import { useRealtime, type FrameType, type RealtimeState } from '../../lib/realtime';
import {
  ackedMessage,
  addPending,
  contiguousSeq,
  expirePending,
  failPending,
  maxSeq,
  mergeMessages,
  newClientId,
  POLL_INTERVAL_MS,
  resendable,
  restartPending,
  settlePending,
  type PendingFile,
  type PendingMessage,
} from './model';

/** `live`: the WebSocket is open. `reconnecting`: it dropped and is being retried. `polling`: REST every 3 s. */
export type ConnectionState = 'live' | 'reconnecting' | 'polling';

/** The frames the chat handles (`crisis` frames go to features/crisis, `call.*` to features/calls). */
const CHAT_FRAMES = ['ack', 'messages', 'message', 'read', 'status', 'error'] as const satisfies readonly FrameType[];

export interface Chat {
  detail: Resource<ConsultationDetail>;
  messages: readonly Message[];
  pending: readonly PendingMessage[];
  connection: ConnectionState;
  /** The highest seq the other side has read. */
  otherReadSeq: number;
  historyLoaded: boolean;
  historyError: ApiError | undefined;
  reloadHistory: () => void;
  send: (text: string) => void;
  /** An image or a voice note: uploaded over REST with its own clientId, pending until acknowledged. */
  sendFile: (file: PendingFile) => void;
  retry: (clientId: string) => void;
}

const PAGE = 200;

/**
 * One consultation's conversation: history over REST, then live over the app's WebSocket (lib/realtime, which
 * owns the connection, its reconnecting and the session check) with `sync` on every (re)connect, or REST sending and 3-second polling while the socket is unavailable. Messages typed here
 * stay in memory as "pending" (with their clientId) until the server acknowledges them; they are resent with the
 * same clientId after a reconnect and marked failed after 10 s. Nothing is written to device storage.
 */
export function useChat(consultationId: string, myId: string): Chat {
  const realtime = useRealtime();
  const detail = useResource(() => consultationApi.detail(consultationId), [consultationId]);
  const reloadDetail = detail.reload;
  const status = detail.data?.status;

  const [messages, setMessages] = useState<readonly Message[]>([]);
  const [pending, setPending] = useState<readonly PendingMessage[]>([]);
  const [connection, setConnection] = useState<ConnectionState>('reconnecting');
  const [pushedRead, setPushedRead] = useState(0);
  const [historyLoaded, setHistoryLoaded] = useState(false);
  const [historyError, setHistoryError] = useState<ApiError>();

  // The latest values for socket callbacks; updated together with the state, never behind it.
  const messagesRef = useRef<readonly Message[]>([]);
  const pendingRef = useRef<readonly PendingMessage[]>([]);
  const fetchingRef = useRef(false);

  const updateMessages = useCallback((fn: (m: readonly Message[]) => readonly Message[]) => {
    const next = fn(messagesRef.current);
    if (next === messagesRef.current) return;
    messagesRef.current = next;
    setMessages(next);
  }, []);
  const updatePending = useCallback((fn: (p: readonly PendingMessage[]) => readonly PendingMessage[]) => {
    const next = fn(pendingRef.current);
    if (next === pendingRef.current) return;
    pendingRef.current = next;
    setPending(next);
  }, []);

  // A different consultation: start from nothing.
  useEffect(() => {
    messagesRef.current = [];
    pendingRef.current = [];
    setMessages([]);
    setPending([]);
    setPushedRead(0);
    setHistoryLoaded(false);
    setHistoryError(undefined);
  }, [consultationId]);

  /** Stored messages arrived (history, sync, push): add them and settle my pending ones among them. */
  const receive = useCallback(
    (incoming: readonly Message[]) => {
      updateMessages((m) => mergeMessages(m, incoming));
      updatePending((p) =>
        settlePending(
          p,
          incoming.map((m) => m.clientId),
        ),
      );
    },
    [updateMessages, updatePending],
  );

  /** Everything after the last gap-free seq, over REST (initial load, polling, and gaps). */
  const fetchMissing = useCallback(async () => {
    if (fetchingRef.current) return;
    fetchingRef.current = true;
    try {
      for (let i = 0; i < 50; i++) {
        const page = await consultationApi.messages(consultationId, contiguousSeq(messagesRef.current), PAGE);
        receive(page.messages);
        if (page.messages.length < PAGE || contiguousSeq(messagesRef.current) >= page.lastSeq) break;
      }
      setHistoryLoaded(true);
      setHistoryError(undefined);
    } catch (err) {
      setHistoryError(toApiError(err));
    } finally {
      fetchingRef.current = false;
    }
  }, [consultationId, receive]);

  const sendFrame = realtime.send;

  const sync = useCallback(() => {
    if (!sendFrame({ type: 'sync', consultationId, after: contiguousSeq(messagesRef.current) })) void fetchMissing();
  }, [consultationId, fetchMissing, sendFrame]);

  const acknowledge = useCallback(
    (ack: { seq: number; clientId: string; createdAt: string }) => {
      const mine = pendingRef.current.find((p) => p.clientId === ack.clientId);
      if (mine) updateMessages((m) => mergeMessages(m, [ackedMessage(ack, mine, myId)]));
      updatePending((p) => settlePending(p, [ack.clientId]));
      if (contiguousSeq(messagesRef.current) < ack.seq) sync();
    },
    [myId, sync, updateMessages, updatePending],
  );

  /**
   * One attempt to send: over the socket when it is open, otherwise (or when `rest`, for a tapped retry in case the
   * socket only looks open) over REST. Same clientId either way, so the server stores it once.
   */
  const dispatch = useCallback(
    (p: PendingMessage, rest = false) => {
      const file = p.file;
      if (!file) {
        const frame = { type: 'send', consultationId, clientId: p.clientId, kind: 'text', text: p.text } as const;
        if (!rest && sendFrame(frame)) return;
      }
      (file
        ? consultationApi.sendMedia(
            consultationId,
            {
              clientId: p.clientId,
              kind: file.kind,
              ...(file.durationMs !== undefined ? { durationMs: file.durationMs } : {}),
            },
            file.blob,
          )
        : consultationApi.send(consultationId, { clientId: p.clientId, kind: 'text', text: p.text })
      )
        .then(acknowledge)
        .catch((err: unknown) => {
          const e = toApiError(err);
          // Network trouble: a text stays "sending" until the timeout or the next reconnect resends it; an upload
          // is not repeated behind the user's back (it may be large): it shows "failed, tap to retry".
          if (e.isNetwork && !file) return;
          updatePending((list) => failPending(list, p.clientId, e.message));
          if (e.code === 'CONSULTATION_NOT_ACTIVE') void reloadDetail();
        });
    },
    [acknowledge, consultationId, reloadDetail, sendFrame, updatePending],
  );

  const resendAll = useCallback(() => {
    const again = resendable(pendingRef.current).filter((p) => !p.file);
    if (again.length === 0) return;
    updatePending((p) =>
      restartPending(
        p,
        again.map((x) => x.clientId),
        Date.now(),
      ),
    );
    for (const p of again) dispatch(p);
  }, [dispatch, updatePending]);

  const onFrame = useCallback(
    (frame: ServerFrame) => {
      if ('consultationId' in frame && frame.consultationId !== undefined && frame.consultationId !== consultationId)
        return;
      switch (frame.type) {
        case 'ack':
          acknowledge(frame);
          break;
        case 'messages':
          receive(frame.messages);
          if (frame.messages.length > 0 && contiguousSeq(messagesRef.current) < frame.lastSeq) sync();
          setHistoryLoaded(true);
          break;
        case 'message':
          receive([frame.message]);
          if (contiguousSeq(messagesRef.current) < frame.message.seq) sync(); // a gap: fetch what was missed
          break;
        case 'read':
          if (frame.userId !== myId) setPushedRead((s) => Math.max(s, frame.seq));
          break;
        case 'status':
          void reloadDetail();
          break;
        case 'error':
          if (frame.clientId) {
            const clientId = frame.clientId;
            updatePending((p) => failPending(p, clientId, frame.message));
          }
          if (frame.code === 'CONSULTATION_NOT_ACTIVE') void reloadDetail();
          break;
        default:
          break;
      }
    },
    [acknowledge, consultationId, myId, receive, reloadDetail, sync, updatePending],
  );

  // Socket callbacks read the latest handlers through refs, so nothing is resubscribed when they change.
  const handlers = useRef({ onFrame, resendAll, sync });
  handlers.current = { onFrame, resendAll, sync };

  // Live over the app's socket: this consultation's frames, and `sync` plus resending on every (re)connect. The
  // socket itself (backoff, coming back online, the session ending) is lib/realtime's.
  useEffect(() => {
    let everLive = false;
    const apply = (state: RealtimeState) => {
      if (state === 'open') {
        everLive = true;
        setConnection('live');
        handlers.current.sync();
        handlers.current.resendAll();
      } else if (state === 'offline') {
        setConnection(everLive ? 'reconnecting' : 'polling');
      }
    };
    const initial = realtime.getState();
    if (initial === 'connecting') setConnection('reconnecting');
    else apply(initial);
    const offFrames = CHAT_FRAMES.map((type) =>
      realtime.subscribe(type, (frame: ServerFrame) => handlers.current.onFrame(frame)),
    );
    const offState = realtime.onState(apply);
    return () => {
      offState();
      for (const off of offFrames) off();
    };
  }, [consultationId, realtime]);

  // History over REST on open (the socket's sync then only brings what is new).
  useEffect(() => {
    void fetchMissing();
  }, [fetchMissing]);

  // Without the socket: poll messages and the consultation (status, read receipts) every 3 s while open.
  const finished = status === 'ended' || status === 'declined';
  useEffect(() => {
    if (connection === 'live' || finished) return;
    const timer = window.setInterval(() => {
      if (document.visibilityState !== 'visible') return;
      void fetchMissing();
      void reloadDetail();
      // Sending over REST failed for the network: try again with the same clientId.
      const stuck = pendingRef.current.filter(
        (p) => !p.file && p.status === 'sending' && Date.now() - p.since > POLL_INTERVAL_MS,
      );
      for (const p of stuck) dispatch(p);
    }, POLL_INTERVAL_MS);
    return () => window.clearInterval(timer);
  }, [connection, finished, fetchMissing, reloadDetail, dispatch]);

  // "发送失败" after 10 s without an ack.
  const sending = pending.some((p) => p.status === 'sending');
  useEffect(() => {
    if (!sending) return;
    const timer = window.setInterval(() => updatePending((p) => expirePending(p, Date.now())), 500);
    return () => window.clearInterval(timer);
  }, [sending, updatePending]);

  // Read receipts: whatever is on screen while the page is visible counts as read.
  const readSent = useRef(0);
  const top = maxSeq(messages);
  useEffect(() => {
    readSent.current = 0;
  }, [consultationId]);
  useEffect(() => {
    const mark = () => {
      if (document.visibilityState !== 'visible' || top <= readSent.current) return;
      const seq = top;
      readSent.current = seq;
      consultationApi.read(consultationId, seq).catch(() => {
        if (readSent.current === seq) readSent.current = 0; // try again on the next message or visit
      });
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => document.removeEventListener('visibilitychange', mark);
  }, [consultationId, top]);

  const send = useCallback(
    (text: string) => {
      const clientId = newClientId();
      updatePending((p) => addPending(p, clientId, text, Date.now()));
      const p = pendingRef.current.find((x) => x.clientId === clientId);
      if (p) dispatch(p);
    },
    [dispatch, updatePending],
  );

  const sendFile = useCallback(
    (file: PendingFile) => {
      const clientId = newClientId();
      updatePending((p) => addPending(p, clientId, '', Date.now(), file));
      const p = pendingRef.current.find((x) => x.clientId === clientId);
      if (p) dispatch(p);
    },
    [dispatch, updatePending],
  );

  const retry = useCallback(
    (clientId: string) => {
      updatePending((p) => restartPending(p, [clientId], Date.now()));
      const p = pendingRef.current.find((x) => x.clientId === clientId);
      if (p) dispatch(p, true);
    },
    [dispatch, updatePending],
  );

  return {
    detail,
    messages,
    pending,
    connection,
    otherReadSeq: Math.max(detail.data?.otherReadSeq ?? 0, pushedRead),
    historyLoaded,
    historyError,
    reloadHistory: () => void fetchMissing(),
    send,
    sendFile,
    retry,
  };
}
