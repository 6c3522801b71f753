import { App, Layout, Menu, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { toApiError } from '../../lib/api';
import { canReview, ReviewsMenuLabel } from '../admin-review';
import { canSeeRights, RightsMenuLabel } from '../admin-rights/menu';
import { canHandleCrisis, CrisisMenuLabel } from '../crisis/admin';
import { useMe, useSession } from '../session/SessionContext';
import { AdminLanguageSwitch } from './AdminLanguageSwitch';

/** Staff console frame: side menu, who is signed in with which roles, and the page. */
export function ConsoleLayout() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const me = useMe();
  const session = useSession();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const selected = pathname.startsWith('/reviews')
    ? 'reviews'
    : pathname.startsWith('/crisis')
      ? 'crisis'
      : pathname.startsWith('/rights')
        ? 'rights'
        : pathname.startsWith('/audit')
          ? 'audit'
          : 'dev-outbox';

  const signOut = async () => {
    try {
      await session.signOut();
      navigate('/sign-in', { replace: true });
    } catch (err) {
      void message.error(toApiError(err).message);
    }
  };

  return (
    <Layout className="ax-admin-layout">
      <Layout.Sider width={220} theme="dark" className="ax-admin-sider">
        <div className="ax-admin-logo">{t('brand.admin.name')}</div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[selected]}
          onClick={({ key }) => {
            if (key === 'sign-out') void signOut();
            else navigate(`/${key}`);
          }}
          items={[
            ...(canReview(me.roles) ? [{ key: 'reviews', label: <ReviewsMenuLabel /> }] : []),
            ...(canHandleCrisis(me.roles) ? [{ key: 'crisis', label: <CrisisMenuLabel /> }] : []),
            ...(canSeeRights(me.roles) ? [{ key: 'rights', label: <RightsMenuLabel /> }] : []),
            { key: 'dev-outbox', label: <span data-testid="menu-dev-outbox">{t('admin.menu.devOutbox')}</span> },
            { key: 'audit', label: <span data-testid="menu-audit">{t('admin.menu.audit')}</span> },
            { type: 'divider' },
            { key: 'sign-out', danger: true, label: <span data-testid="sign-out">{t('admin.menu.signOut')}</span> },
          ]}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header className="ax-admin-header">
          <Space size="middle" wrap>
            <Typography.Text strong data-testid="staff-phone">
              {me.displayName ?? me.phoneMasked}
            </Typography.Text>
            {me.displayName && <Typography.Text type="secondary">{me.phoneMasked}</Typography.Text>}
            <Space size={4} className="ax-admin-roles">
              <Typography.Text type="secondary">{t('admin.roles.label')}:</Typography.Text>
              <span data-testid="staff-roles">
                {me.roles.map((role) => (
                  <Tag key={role} color={role === 'admin' ? 'red' : 'blue'} data-role={role}>
                    {t(`admin.roles.${role}`)}
                  </Tag>
                ))}
              </span>
            </Space>
          </Space>
          <AdminLanguageSwitch />
        </Layout.Header>
        <Layout.Content className="ax-admin-content">
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
