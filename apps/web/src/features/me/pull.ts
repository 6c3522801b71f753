import { useTranslation } from 'react-i18next';

/** Localised texts for antd-mobile's PullToRefresh. */
export function usePullCopy() {
  const { t } = useTranslation();
  return {
    pullingText: t('common.pull.pulling'),
    canReleaseText: t('common.pull.canRelease'),
    refreshingText: t('common.pull.refreshing'),
    completeText: t('common.pull.complete'),
  };
}
