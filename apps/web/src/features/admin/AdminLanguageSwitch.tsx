import type { Locale } from '@anxin/contracts';
import { App, Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { api, toApiError } from '../../lib/api';
import { currentLocale, LOCALES, setLocale } from '../../lib/i18n';
import { useSession } from '../session/SessionContext';

/** 中文 / English; saved to the account too when signed in. */
export function AdminLanguageSwitch() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const session = useSession();
  const signedIn = session.me?.stage === 'active';
  return (
    <Segmented<Locale>
      value={currentLocale()}
      options={LOCALES.map((l) => ({ value: l, label: <span lang={l}>{t(`common.localeName.${l}`)}</span> }))}
      onChange={(next) => {
        void setLocale(next);
        if (!signedIn) return;
        api
          .updateMe({ locale: next })
          .then((me) => session.setMe(me))
          .catch((err: unknown) => {
            if (toApiError(err).status !== 401) void message.warning(t('me.languageSyncFailed'));
          });
      }}
      data-testid="language-switch"
    />
  );
}
