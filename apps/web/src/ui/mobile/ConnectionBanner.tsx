import { NoticeBar } from 'antd-mobile';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useConnection } from '../../lib/connection';

/** A (re)connection this short is not worth a banner. */
const CONNECTING_GRACE_MS = 2_000;

/**
 * The connection indicator at the top of the doctor and patient apps: offline (no network, or the server does not
 * answer) and, after a moment, connecting. It publishes its height as --ax-banner-h so the sticky navigation bar
 * sits below it: the banner never covers the back button.
 */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const connection = useConnection();
  const [showConnecting, setShowConnecting] = useState(false);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (connection !== 'connecting') return setShowConnecting(false);
    const timer = window.setTimeout(() => setShowConnecting(true), CONNECTING_GRACE_MS);
    return () => window.clearTimeout(timer);
  }, [connection]);

  const visible = connection === 'offline' || (connection === 'connecting' && showConnecting);
  useLayoutEffect(() => {
    const root = document.documentElement;
    const el = ref.current;
    if (!visible || !el) {
      root.style.setProperty('--ax-banner-h', '0px');
      return;
    }
    const measure = () => root.style.setProperty('--ax-banner-h', `${el.offsetHeight}px`);
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => {
      observer.disconnect();
      root.style.setProperty('--ax-banner-h', '0px');
    };
  }, [visible]);

  return (
    <div className="ax-connection" data-testid="connection" data-state={connection} role="status" ref={ref}>
      {visible && (
        <NoticeBar
          color={connection === 'offline' ? 'alert' : 'info'}
          wrap
          content={connection === 'offline' ? t('offline.banner') : t('offline.connecting')}
          data-testid="offline-banner"
        />
      )}
    </div>
  );
}
