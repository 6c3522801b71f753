import type { PhotoSlot, RevealReply } from '@anxin/contracts';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { REVEAL_TTL_MS } from './model';

interface Grant {
  reply: RevealReply;
  /** Local epoch ms when this grant stops being shown. */
  until: number;
}

export interface RevealView {
  idNumber?: string;
  practiceCertNo?: string;
  qualificationCertNo?: string;
  photos: ReadonlySet<PhotoSlot>;
  /** Whether anything is revealed right now. */
  active: boolean;
  /** Seconds until the next revealed item is hidden again (0 when nothing is revealed). */
  secondsLeft: number;
  /** True after everything revealed has timed out (cleared by the next reveal or `dismissExpired`). */
  expired: boolean;
  add: (reply: RevealReply) => void;
  hideAll: () => void;
  dismissExpired: () => void;
}

/**
 * What the reviewer revealed, kept in memory only (never in storage or the URL) and dropped when its grant runs out
 * or the page unmounts. The server grants 10 minutes; if the device clock disagrees with the server's `expiresAt`,
 * the grant is assumed to end 10 minutes from now so it neither vanishes at once nor lingers.
 */
export function useReveal(): RevealView {
  const [grants, setGrants] = useState<Grant[]>([]);
  const [now, setNow] = useState(() => Date.now());
  const [expired, setExpired] = useState(false);

  const live = useMemo(() => grants.filter((g) => g.until > now), [grants, now]);
  const anyGrant = grants.length > 0;

  useEffect(() => {
    if (!anyGrant) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [anyGrant]);

  useEffect(() => {
    if (live.length === grants.length) return;
    setGrants(live);
    if (live.length === 0) setExpired(true);
  }, [live, grants]);

  const add = useCallback((reply: RevealReply) => {
    const at = Date.now();
    const ttl = Date.parse(reply.expiresAt) - at;
    const until = ttl > 0 && ttl <= REVEAL_TTL_MS + 30_000 ? at + ttl : at + REVEAL_TTL_MS;
    setNow(at);
    setExpired(false);
    setGrants((list) => [...list, { reply, until }]);
  }, []);

  const hideAll = useCallback(() => {
    setGrants([]);
    setExpired(false);
  }, []);

  const dismissExpired = useCallback(() => setExpired(false), []);

  return useMemo(() => {
    const view: RevealView = {
      photos: new Set(live.flatMap((g) => g.reply.photoSlots)),
      active: live.length > 0,
      secondsLeft: live.length ? Math.max(0, Math.ceil((Math.min(...live.map((g) => g.until)) - now) / 1000)) : 0,
      expired,
      add,
      hideAll,
      dismissExpired,
    };
    // Later grants win: they are the freshest answer from the server.
    for (const { reply } of live) {
      if (reply.idNumber !== undefined) view.idNumber = reply.idNumber;
      if (reply.practiceCertNo !== undefined) view.practiceCertNo = reply.practiceCertNo;
      if (reply.qualificationCertNo !== undefined) view.qualificationCertNo = reply.qualificationCertNo;
    }
    return view;
  }, [live, now, expired, add, hideAll, dismissExpired]);
}

/** `9:05` */
export function formatCountdown(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}
