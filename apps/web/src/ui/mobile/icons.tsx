/** A few line icons drawn inline, so nothing is fetched from a third-party icon font or CDN. */
import type { SVGProps } from 'react';

function Svg(props: SVGProps<SVGSVGElement>) {
  return (
    <svg
      width="1em"
      height="1em"
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      {...props}
    />
  );
}

export function HomeIcon() {
  return (
    <Svg>
      <path d="M3.5 10.5 12 4l8.5 6.5" />
      <path d="M5.5 9v10.5h13V9" />
      <path d="M10 19.5v-5h4v5" />
    </Svg>
  );
}

export function UserIcon() {
  return (
    <Svg>
      <circle cx="12" cy="8.5" r="3.8" />
      <path d="M4.5 20c1.2-3.6 4-5.5 7.5-5.5s6.3 1.9 7.5 5.5" />
    </Svg>
  );
}

export function ShieldIcon() {
  return (
    <Svg>
      <path d="M12 3.5 19 6v5.5c0 4.4-3 7.7-7 9-4-1.3-7-4.6-7-9V6z" />
      <path d="m9 12 2.2 2.2L15.5 10" />
    </Svg>
  );
}

export function DocumentIcon() {
  return (
    <Svg>
      <path d="M6.5 3.5h7l4 4v13h-11z" />
      <path d="M13.5 3.5v4h4" />
      <path d="M9 12h6M9 15.5h6" />
    </Svg>
  );
}

export function DevicesIcon() {
  return (
    <Svg>
      <rect x="3.5" y="5" width="12" height="9" rx="1.5" />
      <path d="M7 17.5h5" />
      <rect x="16.5" y="8.5" width="4.5" height="10" rx="1.2" />
    </Svg>
  );
}

export function HeartMark({ size = 48 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true">
      <rect width="24" height="24" rx="6" fill="var(--adm-color-primary)" />
      <path
        fill="#fff"
        d="M12 19.5C12 19.5 4.5 15 4.5 9.9 4.5 7.6 6.3 5.8 8.5 5.8 10 5.8 11.3 6.6 12 7.9 12.7 6.6 14 5.8 15.5 5.8 17.7 5.8 19.5 7.6 19.5 9.9 19.5 15 12 19.5 12 19.5Z"
      />
    </svg>
  );
}
