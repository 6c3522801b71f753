/** Small pieces shared by the rights screens: calendar dates, the due line, a text area, the closure receipt. */
import { useId } from 'react';
import { currentLocale } from '../../lib/i18n';
import { useRightsT } from './rights-i18n';

/** A calendar date (`2026-12-10`, Asia/Shanghai) as "2026年12月10日" / "December 10, 2026", whatever the device zone. */
export function formatDay(day: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  if (!m) return day;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return new Intl.DateTimeFormat(currentLocale(), {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    timeZone: 'UTC',
  }).format(date);
}

/** "最迟于 … 前完成", with the note when the holiday calendar for that year is not published yet. */
export function DueLine({
  dueOn,
  provisional,
  cancellation,
  testId,
}: {
  dueOn: string;
  provisional: boolean;
  cancellation?: boolean;
  testId?: string;
}) {
  const t = useRightsT();
  const date = formatDay(dueOn);
  return (
    <div className="ax-rights-due" data-testid={testId}>
      <div>{cancellation ? t('rights.requests.dueOnCancel', { date }) : t('rights.requests.dueOn', { date })}</div>
      {provisional && (
        <div className="ax-muted ax-small" data-testid={testId ? `${testId}-provisional` : undefined}>
          {t('rights.requests.provisional')}
        </div>
      )}
    </div>
  );
}

export const DETAILS_MAX = 2000;

/** A labelled multi-line field in the app's field style; the test id lands on the real `<textarea>`. */
export function TextAreaField({
  label,
  value,
  onChange,
  placeholder,
  error,
  testId,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  error?: string | undefined;
  testId?: string;
}) {
  const t = useRightsT();
  const id = useId();
  return (
    <div className={`ax-field${error ? ' ax-field-error' : ''}`}>
      <label className="ax-field-label" htmlFor={id}>
        {label}
      </label>
      <div className="ax-field-box">
        <textarea
          id={id}
          className="ax-field-input ax-rights-textarea"
          rows={4}
          maxLength={DETAILS_MAX}
          value={value}
          placeholder={placeholder}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={error ? true : undefined}
          data-testid={testId}
        />
      </div>
      <div
        className={error ? 'ax-field-message ax-field-message-error' : 'ax-field-message'}
        role={error ? 'alert' : undefined}
      >
        {error ?? t('rights.form.chars', { count: value.length, max: DETAILS_MAX })}
      </div>
    </div>
  );
}
