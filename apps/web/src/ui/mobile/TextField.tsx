import { useId, type InputHTMLAttributes, type ReactNode } from 'react';

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'onChange' | 'value' | 'prefix'> {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
  prefix?: ReactNode;
  testId?: string;
}

/**
 * A plain `<input>` styled to match antd-mobile, so `data-testid`, `inputMode` and `autoComplete`
 * land on the real input element (antd-mobile's Input puts extra attributes on its wrapper).
 */
export function TextField({
  label,
  value,
  onChange,
  error,
  hint,
  prefix,
  testId,
  id,
  className,
  ...rest
}: TextFieldProps) {
  const autoId = useId();
  const inputId = id ?? autoId;
  const messageId = `${inputId}-message`;
  return (
    <div className={`ax-field${error ? ' ax-field-error' : ''}${className ? ` ${className}` : ''}`}>
      <label className="ax-field-label" htmlFor={inputId}>
        {label}
      </label>
      <div className="ax-field-box">
        {prefix && <span className="ax-field-prefix">{prefix}</span>}
        <input
          {...rest}
          id={inputId}
          className="ax-field-input"
          value={value}
          onChange={(e) => onChange(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error || hint ? messageId : undefined}
          data-testid={testId}
        />
      </div>
      {(error || hint) && (
        <div
          id={messageId}
          className={error ? 'ax-field-message ax-field-message-error' : 'ax-field-message'}
          role={error ? 'alert' : undefined}
        >
          {error || hint}
        </div>
      )}
    </div>
  );
}
