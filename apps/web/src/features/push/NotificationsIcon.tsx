/** A bell with a small wave: "notifications" on the "我的" list (line icon, 1em, like ui/mobile/icons). */
export function NotificationsIcon() {
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
    >
      <path d="M6 16.5V11a6 6 0 0 1 12 0v5.5l1.5 2h-15z" />
      <path d="M10 20.5a2.2 2.2 0 0 0 4 0" />
      <path d="M20 5.5c.9 1 1.4 2.2 1.5 3.5M4 5.5C3.1 6.5 2.6 7.7 2.5 9" />
    </svg>
  );
}
