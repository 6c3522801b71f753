import { Input } from 'antd';

/** A six-digit code field (SMS or authenticator): digits only, numeric keyboard, one-time-code autofill. */
export function SixDigitInput(props: {
  value: string;
  onChange: (value: string) => void;
  testId: string;
  autoFocus?: boolean;
  placeholder?: string;
}) {
  return (
    <Input
      size="large"
      value={props.value}
      onChange={(e) => props.onChange(e.target.value.replace(/\D/g, '').slice(0, 6))}
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={6}
      autoFocus={props.autoFocus}
      placeholder={props.placeholder ?? '000000'}
      data-testid={props.testId}
    />
  );
}
