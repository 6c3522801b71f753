import type { ConsultationStatus } from '@anxin/contracts';
import { Tag } from 'antd-mobile';
import { useConsultT } from './i18n';

const COLOR: Record<ConsultationStatus, string> = {
  requested: 'warning',
  active: 'success',
  declined: 'danger',
  ended: 'default',
};

export function StatusTag({ status }: { status: ConsultationStatus }) {
  const t = useConsultT();
  return (
    <Tag color={COLOR[status]} fill="outline" data-testid="consultation-status" data-status={status}>
      {t(`consultations.status.${status}`)}
    </Tag>
  );
}
