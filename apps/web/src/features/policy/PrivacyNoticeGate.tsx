import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorView, LoadingView } from '../../ui/mobile/StatusViews';
import { useSession } from '../session/SessionContext';
import { usePolicy } from './PolicyContext';
import { PrivacyNotice } from './PrivacyNotice';

/**
 * Shows the first-visit privacy notice until this device has agreed to the current version.
 *
 * Someone who agreed to an older version and is still signed in goes through the server-side
 * re-acceptance screen instead (one prompt, and the one that records consent), so for them the
 * session is looked up first.
 */
export function PrivacyNoticeGate({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const { doc, error, reload, ack, acknowledge } = usePolicy();
  const session = useSession();
  const { state } = session;

  // Accepted on the server already (e.g. on another device): remember it here too.
  const acceptedOnServer =
    state.status === 'signedIn' && doc !== undefined && state.me.policy.acceptedVersion === doc.version;
  useEffect(() => {
    if (acceptedOnServer && doc && ack !== doc.version) acknowledge(doc.version);
  }, [acceptedOnServer, doc, ack, acknowledge]);

  if (!doc) {
    if (error)
      return <ErrorView fullscreen error={error} title={t('policy.loadFailed')} onRetry={() => void reload()} />;
    return <LoadingView fullscreen text={t('policy.loading')} />;
  }
  if (ack === doc.version) return <>{children}</>;
  if (ack !== null) {
    if (state.status === 'loading' || state.status === 'idle') return <LoadingView fullscreen />;
    if (state.status === 'error')
      return <ErrorView fullscreen error={state.error} onRetry={() => void session.refresh()} />;
    if (state.status === 'signedIn') return <>{children}</>;
  }
  return <PrivacyNotice doc={doc} onAgree={() => acknowledge(doc.version)} />;
}
