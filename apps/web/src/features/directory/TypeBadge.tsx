import type { PractitionerType } from '@anxin/contracts';
import { Tag } from 'antd-mobile';
import { useDirectoryT } from './i18n';

export function TypeBadge({ type }: { type: PractitionerType }) {
  const t = useDirectoryT();
  return (
    <Tag color="primary" fill="outline" className="ax-dir-tag" data-testid="doctor-type" data-type={type}>
      {t(`directory.types.${type}`)}
    </Tag>
  );
}

export function VerifiedBadge() {
  const t = useDirectoryT();
  return (
    <Tag color="success" fill="solid" className="ax-dir-tag" data-testid="verified-badge">
      ✓ {t('directory.verified')}
    </Tag>
  );
}
