import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';

/** Within this many pixels of the end counts as "at the newest message". */
const NEAR_END_PX = 48;
/** How long a message the reader was taken to stays highlighted (ms). */
const HIGHLIGHT_MS = 2_000;

export interface FollowScroll {
  /** The scrolling element and the element inside it whose size changes as the conversation grows. */
  scroller: React.RefObject<HTMLDivElement | null>;
  content: React.RefObject<HTMLDivElement | null>;
  atEnd: boolean;
  /** Items that arrived while the reader was scrolled up (for the "new messages" pill). */
  unseen: number;
  toEnd: (smooth?: boolean) => void;
  /** Scrolls to the message with this seq and highlights it for a moment. */
  showSeq: (seq: number) => void;
}

/**
 * Keeps a conversation at its newest message (CON-1): it opens at the end, stays there while anything in it grows
 * (history pages, images and voice notes loading, call entries) or the visible area shrinks (a pinned alert, the
 * keyboard), and follows new items while the reader is at the end. A reader who scrolled up is left where they are,
 * and the items that arrived meanwhile are counted until they come back down.
 */
export function useFollowScroll(ready: boolean, itemCount: number): FollowScroll {
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  const [atEnd, setAtEnd] = useState(true);
  const [unseen, setUnseen] = useState(0);

  const jump = () => {
    const el = scroller.current;
    if (el) el.scrollTop = el.scrollHeight;
  };

  const toEnd = useCallback((smooth = false) => {
    const el = scroller.current;
    follow.current = true;
    setUnseen(0);
    if (el) el.scrollTo({ top: el.scrollHeight, behavior: smooth ? 'smooth' : 'auto' });
  }, []);

  useEffect(() => {
    const el = scroller.current;
    const inner = content.current;
    if (!ready || !el || !inner) return;
    // Only the reader moving up stops following. Layout also scrolls the element (scroll anchoring when something
    // above grows, clamping when the area shrinks), and those scroll events arrive before the ResizeObserver that
    // would bring the end back into view: treating them as the reader leaving lost the newest message under load.
    let lastTop = el.scrollTop;
    const onScroll = () => {
      const top = el.scrollTop;
      const near = el.scrollHeight - top - el.clientHeight <= NEAR_END_PX;
      if (near) follow.current = true;
      else if (top < lastTop) follow.current = false;
      lastTop = top;
      setAtEnd(near);
      if (near) setUnseen(0);
    };
    el.addEventListener('scroll', onScroll, { passive: true });
    const resized = new ResizeObserver(() => {
      if (follow.current) jump();
    });
    resized.observe(el);
    resized.observe(inner);
    jump();
    return () => {
      el.removeEventListener('scroll', onScroll);
      resized.disconnect();
    };
  }, [ready]);

  const counted = useRef(itemCount);
  useLayoutEffect(() => {
    const added = itemCount - counted.current;
    counted.current = itemCount;
    if (added <= 0) return;
    if (follow.current) jump();
    else setUnseen((n) => n + added);
  }, [itemCount]);

  const showSeq = useCallback((seq: number) => {
    const target = content.current?.querySelector<HTMLElement>(`[data-seq="${seq}"]`);
    if (!target) return;
    follow.current = false;
    target.scrollIntoView({ block: 'center' });
    target.classList.add('ax-con-msg-highlight');
    window.setTimeout(() => target.classList.remove('ax-con-msg-highlight'), HIGHLIGHT_MS);
  }, []);

  return { scroller, content, atEnd, unseen, toEnd, showSeq };
}
