import { useTranslation } from 'react-i18next';
import { currentLocale, setLocale } from '../../lib/i18n';

/** A small text button that flips between 中文 and English (for screens before sign-in). */
export function LanguageToggle() {
  const { t } = useTranslation();
  const next = currentLocale() === 'en' ? 'zh-CN' : 'en';
  return (
    <button
      type="button"
      className="ax-lang-toggle"
      onClick={() => void setLocale(next)}
      lang={next}
      data-testid="locale-toggle"
    >
      {t('common.switchTo')}
    </button>
  );
}
