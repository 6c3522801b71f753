import { AGE_BANDS, type AgeBand, type Locale, type Sex, type UpdateMeBody } from '@anxin/contracts';
import { ActionSheet, Button, List, Segmented, Toast } from 'antd-mobile';
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
import { useRightsT } from './rights-i18n';

/** The "我的" tab: profile basics, language, devices, 个人信息与隐私 and sign-out. */
export function MePage() {
  const { t } = useTranslation();
  const tOnb = useOnbT();
  const tPush = usePushT();
  const tRights = useRightsT();
  const app = useMobileApp();
  const me = useMe();
  const session = useSession();
  const navigate = useNavigate();
  const [signingOut, setSigningOut] = useState(false);
  const locale = currentLocale();
  // An approved doctor is shown by the name and title of the approved profile.
  const profile = app === 'doctor' ? me.doctorProfile : null;

  /** Patients: share an age band or sex with their doctors, or stop sharing it (null). */
  const share = (field: 'ageBand' | 'sex', options: Array<{ key: string; text: string }>) => {
    const handler = ActionSheet.show({
      actions: [
        ...options.map((o) => ({ ...o, onClick: () => void save({ [field]: o.key }) })),
        { key: 'none', text: t('me.stopSharing'), onClick: () => void save({ [field]: null }) },
      ],
      cancelText: t('me.shareCancel'),
      onAction: () => handler.close(),
    });
  };
  const save = async (body: Pick<UpdateMeBody, 'ageBand' | 'sex'>) => {
    try {
      session.setMe(await api.updateMe(body));
      Toast.show({ icon: 'success', content: t('me.shareSaved') });
    } catch (err) {
      Toast.show({ content: toApiError(err).message, duration: 3000 });
    }
  };
  const ageBands = AGE_BANDS.map((b: AgeBand) => ({ key: b, text: t(`patientFacts.ageBand.${b}`) }));
  const sexes = (['female', 'male'] as Sex[]).map((x) => ({ key: x, text: t(`patientFacts.sex.${x}`) }));

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
            {profile?.name ?? me.displayName ?? t('me.displayName') + ' · ' + t('common.notSet')}
          </div>
          {profile?.title && (
            <div className="ax-muted" data-testid="me-title">
              {profile.title}
            </div>
          )}
          <div className="ax-muted" data-testid="me-phone">
            {me.phoneMasked}
          </div>
          <div className="ax-muted ax-small">{t('me.memberSince', { date: formatDate(me.createdAt) })}</div>
        </div>
      </header>

      <List header={t('me.profile')} mode="card">
        <List.Item extra={me.phoneMasked}>{t('me.phone')}</List.Item>
        {profile ? (
          <>
            <List.Item extra={profile.name} data-testid="me-practice-name">
              {t('me.practiceName')}
            </List.Item>
            <List.Item
              extra={profile.title ?? t('me.titleNotSet')}
              description={t('me.fromReview')}
              data-testid="me-practice-title"
            >
              {t('me.practiceTitle')}
            </List.Item>
          </>
        ) : (
          <List.Item
            extra={me.displayName ?? t('common.notSet')}
            onClick={() => navigate('/me/name')}
            data-testid="edit-name"
          >
            {t('me.displayName')}
          </List.Item>
        )}
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

      {app === 'patient' && (
        <List header={t('me.shareTitle')} mode="card" data-testid="me-share">
          <List.Item
            extra={me.ageBand ? t(`patientFacts.ageBand.${me.ageBand}`) : t('me.notShared')}
            onClick={() => share('ageBand', ageBands)}
            data-testid="me-age-band"
          >
            {t('me.ageBand')}
          </List.Item>
          <List.Item
            extra={me.sex ? t(`patientFacts.sex.${me.sex}`) : t('me.notShared')}
            description={t('me.shareHint')}
            onClick={() => share('sex', sexes)}
            data-testid="me-sex"
          >
            {t('me.sex')}
          </List.Item>
        </List>
      )}

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
          {tRights('rights.meEntry')}
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
