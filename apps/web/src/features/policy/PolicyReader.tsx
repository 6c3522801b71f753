import type { PolicyDocument } from '@anxin/contracts';
import { Button, Popup } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../lib/format';
import { Markdown } from '../../ui/Markdown';

/** The full policy text, full-screen, over whatever is underneath. */
export function PolicyReader({ doc, open, onClose }: { doc: PolicyDocument; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Popup
      visible={open}
      onMaskClick={onClose}
      onClose={onClose}
      position="bottom"
      bodyClassName="ax-reader"
      destroyOnClose
      data-testid="policy-reader"
    >
      <div className="ax-reader-head">
        <h2 className="ax-reader-title">{doc.title || t('policy.fullTitle')}</h2>
        <button type="button" className="ax-reader-close" onClick={onClose} data-testid="policy-reader-close">
          {t('common.close')}
        </button>
      </div>
      <div className="ax-reader-body" data-testid="policy-full-text">
        <p className="ax-muted">
          {t('policy.versionLine', { version: doc.version, date: formatDate(doc.effectiveAt) })}
        </p>
        <PolicyText doc={doc} />
      </div>
      <div className="ax-reader-foot">
        <Button block color="primary" onClick={onClose}>
          {t('common.close')}
        </Button>
      </div>
    </Popup>
  );
}

/** Policy body plus who runs the service and how to reach them (POL-3). */
export function PolicyText({ doc }: { doc: PolicyDocument }) {
  const { t } = useTranslation();
  return (
    <>
      <Markdown source={doc.text} omitTitle={doc.title} />
      <div className="ax-operator">
        <div>{t('policy.operator', { name: doc.operator.name })}</div>
        <div>{t('policy.contactLine', { hotline: doc.operator.hotline, email: doc.operator.email })}</div>
      </div>
    </>
  );
}
