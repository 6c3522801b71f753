import type { Locale } from '@anxin/contracts';
import { Button, List, Segmented, Toast } from 'antd-mobile';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, toApiError } from '../../lib/api';
import { formatDate } from '../../lib/format';
import { currentLocale, LOCALES, setLocale } from '../../lib/i18n';
import { useMobileApp } from '../../ui/mobile/AppContext';
import { DevicesIcon, DocumentIcon, ShieldIcon, UserIcon } from '../../ui/mobile/icons';
import { useOnbT } from '../onboarding';
import { NotificationsIcon, usePushT } from '../push';
import { useMe, useSession } from '../session/SessionContext';

/** The "我的" tab: profile basics, language, devices, privacy and sign-out. */
export function MePage() {
  const { t } = useTranslation();
  const tOnb = useOnbT();
  const tPush = usePushT();
  const app = useMobileApp();
  const me = useMe();
  const session = useSession();
  const navigate = useNavigate();
  const [signingOut, setSigningOut] = useState(false);
  const locale = currentLocale();

  const changeLocale = async (next: Locale) => {
    if (next === locale) return;
    await setLocale(next);
    try {
      session.setMe(await api.updateMe({ locale: next }));
    } catch (err) {
      const e = toApiError(err);
      if (e.status !== 401) Toast.show({ content: t('me.languageSyncFailed'), duration: 3000 });
    }
  };

  const signOut = async () => {
    setSigningOut(true);
    try {
      await session.signOut();
      Toast.show({ content: t('me.signedOut') });
      navigate('/sign-in', { replace: true });
    } catch (err) {
      Toast.show({ content: toApiError(err).message, duration: 3000 });
    } finally {
      setSigningOut(false);
    }
  };

  return (
    <div className="ax-me" data-testid="me">
      <header className="ax-me-head">
        <div className="ax-avatar" aria-hidden="true">
          <UserIcon />
        </div>
        <div>
          <div className="ax-me-name" data-testid="me-display-name">
            {me.displayName ?? t('me.displayName') + ' · ' + t('common.notSet')}
          </div>
          <div className="ax-muted" data-testid="me-phone">
            {me.phoneMasked}
          </div>
          <div className="ax-muted ax-small">{t('me.memberSince', { date: formatDate(me.createdAt) })}</div>
        </div>
      </header>

      <List header={t('me.profile')} mode="card">
        <List.Item extra={me.phoneMasked}>{t('me.phone')}</List.Item>
        <List.Item
          extra={me.displayName ?? t('common.notSet')}
          onClick={() => navigate('/me/name')}
          data-testid="edit-name"
        >
          {t('me.displayName')}
        </List.Item>
        <List.Item
          extra={
            <Segmented
              value={locale}
              onChange={(v) => void changeLocale(v as Locale)}
              options={LOCALES.map((l) => ({
                value: l,
                label: (
                  <span lang={l} data-testid={`locale-${l}`}>
                    {t(`common.localeName.${l}`)}
                  </span>
                ),
              }))}
              data-testid="language-switch"
            />
          }
        >
          {t('me.language')}
        </List.Item>
      </List>

      <List mode="card">
        {app === 'doctor' && (
          <List.Item prefix={<ShieldIcon />} onClick={() => navigate('/onboarding/status')} data-testid="me-onboarding">
            {tOnb('onboarding.me.entry')}
          </List.Item>
        )}
        <List.Item prefix={<DocumentIcon />} onClick={() => navigate('/notices')} data-testid="me-notices">
          {tOnb('onboarding.me.notices')}
        </List.Item>
        <List.Item prefix={<NotificationsIcon />} onClick={() => navigate('/me/notifications')} data-testid="me-push">
          {tPush('push.meEntry')}
        </List.Item>
      </List>

      <List header={t('me.security')} mode="card">
        <List.Item prefix={<DevicesIcon />} onClick={() => navigate('/me/devices')} data-testid="devices-link">
          {t('me.devices')}
        </List.Item>
        <List.Item prefix={<ShieldIcon />} onClick={() => navigate('/me/privacy')} data-testid="privacy-link">
          {t('me.privacy')}
        </List.Item>
        <List.Item prefix={<DocumentIcon />} onClick={() => navigate('/policy')} data-testid="policy-page-link">
          {t('me.policy')}
        </List.Item>
      </List>

      <div className="ax-me-signout">
        <Button
          block
          size="large"
          loading={signingOut}
          loadingText={t('me.signingOut')}
          onClick={() => void signOut()}
          data-testid="sign-out"
        >
          {t('me.signOut')}
        </Button>
      </div>
    </div>
  );
}
