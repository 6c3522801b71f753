/**
 * Form fields of the application. Like `ui/mobile/TextField`, the `data-testid` sits on the real `<input>` /
 * `<textarea>`; each field's message has `data-testid="field-error-<path>"` (the server's field path).
 */
import { useId, type InputHTMLAttributes, type ReactNode, type TextareaHTMLAttributes } from 'react';
import { useOnbT } from './i18n';

interface ShellProps {
  label: ReactNode;
  /** Server field path, e.g. `basic.idNumber`: names the error element. */
  path: string;
  error?: string | undefined;
  hint?: ReactNode;
  optional?: boolean;
  inputId: string;
  children: ReactNode;
  className?: string;
}

export function FieldShell({ label, path, error, hint, optional, inputId, children, className }: ShellProps) {
  const t = useOnbT();
  return (
    <div className={`ax-field${error ? ' ax-field-error' : ''}${className ? ` ${className}` : ''}`} data-field={path}>
      <label className="ax-field-label" htmlFor={inputId}>
        {label}
        {optional && <span className="ax-onb-optional">（{t('onboarding.optional')}）</span>}
      </label>
      {children}
      {hint && !error && (
        <div id={`${inputId}-hint`} className="ax-field-message">
          {hint}
        </div>
      )}
      {error && (
        <div
          id={`${inputId}-error`}
          className="ax-field-message ax-field-message-error"
          role="alert"
          data-testid={`field-error-${path}`}
        >
          {error}
        </div>
      )}
    </div>
  );
}

type InputProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'prefix'> & {
  label: ReactNode;
  path: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
  optional?: boolean;
  testId?: string;
  /** Suggestions shown while typing (a `<datalist>`); the field stays free text. */
  suggestions?: readonly string[];
};

export function InputField({
  label,
  path,
  value,
  onChange,
  error,
  hint,
  optional,
  testId,
  suggestions,
  ...rest
}: InputProps) {
  const inputId = useId();
  const listId = `${inputId}-list`;
  return (
    <FieldShell label={label} path={path} error={error} hint={hint} optional={optional} inputId={inputId}>
      <div className="ax-field-box">
        <input
          {...rest}
          id={inputId}
          className="ax-field-input"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          list={suggestions ? listId : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${inputId}-error` : hint ? `${inputId}-hint` : undefined}
          data-testid={testId}
        />
      </div>
      {suggestions && (
        <datalist id={listId}>
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      )}
    </FieldShell>
  );
}

type AreaProps = Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'value' | 'onChange'> & {
  label: ReactNode;
  path: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
  optional?: boolean;
  testId?: string;
  maxLength: number;
};

export function TextAreaField({
  label,
  path,
  value,
  onChange,
  error,
  hint,
  optional,
  testId,
  maxLength,
  ...rest
}: AreaProps) {
  const t = useOnbT();
  const inputId = useId();
  return (
    <FieldShell label={label} path={path} error={error} hint={hint} optional={optional} inputId={inputId}>
      <div className="ax-field-box ax-onb-textarea-box">
        <textarea
          {...rest}
          id={inputId}
          className="ax-field-input ax-onb-textarea"
          value={value}
          maxLength={maxLength}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${inputId}-error` : hint ? `${inputId}-hint` : undefined}
          data-testid={testId}
        />
        <div className="ax-onb-count" aria-hidden="true">
          {t('onboarding.professional.charCount', { count: value.length, max: maxLength })}
        </div>
      </div>
    </FieldShell>
  );
}
