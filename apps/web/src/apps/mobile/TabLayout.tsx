import { TabBar } from 'antd-mobile';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { HomeIcon, UserIcon } from '../../ui/mobile/icons';

/** Home and Me, with the tab bar at the bottom. */
export function TabLayout() {
  const { t } = useTranslation();
  const { pathname } = useLocation();
  const navigate = useNavigate();
  const active = pathname.startsWith('/me') ? '/me' : '/';
  return (
    <div className="ax-tabs-layout">
      <div className="ax-tabs-content">
        <Outlet />
      </div>
      <nav className="ax-tabbar" aria-label={t('tabs.home') + ' / ' + t('tabs.me')}>
        <TabBar activeKey={active} onChange={(key) => navigate(key)} safeArea>
          <TabBar.Item key="/" icon={<HomeIcon />} title={t('tabs.home')} data-testid="tab-home" />
          <TabBar.Item key="/me" icon={<UserIcon />} title={t('tabs.me')} data-testid="tab-me" />
        </TabBar>
      </nav>
    </div>
  );
}
