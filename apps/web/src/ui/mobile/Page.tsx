import { NavBar } from 'antd-mobile';
import type { ReactNode } from 'react';
import { useNavigate } from 'react-router';

/** A sub-page with a back arrow. `backTo` is explicit so a deep link never "goes back" out of the app. */
export function Page({
  title,
  backTo,
  right,
  children,
  footer,
}: {
  title: ReactNode;
  backTo?: string;
  right?: ReactNode;
  children: ReactNode;
  footer?: ReactNode;
}) {
  const navigate = useNavigate();
  return (
    <div className="ax-page">
      <NavBar
        className="ax-navbar"
        back={backTo === undefined ? null : ''}
        onBack={backTo === undefined ? undefined : () => navigate(backTo)}
        right={right}
        data-testid="nav-bar"
      >
        {title}
      </NavBar>
      <main className="ax-page-body">{children}</main>
      {footer && <div className="ax-page-footer">{footer}</div>}
    </div>
  );
}
