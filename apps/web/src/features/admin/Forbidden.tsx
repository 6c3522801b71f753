import { Result } from 'antd';
import { useTranslation } from 'react-i18next';

/** 403 from the server for this role: say so, and who can change it. */
export function Forbidden({ detail }: { detail?: string }) {
  const { t } = useTranslation();
  return (
    <div data-testid="forbidden">
      <Result status="403" title={t('admin.forbiddenTitle')} subTitle={detail ?? t('admin.forbiddenBody')} />
    </div>
  );
}
