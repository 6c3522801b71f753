import type { PushPreferences, PushPreferencesBody } from '@anxin/contracts';
import { Button, List, NoticeBar, Switch, Toast } from 'antd-mobile';
import { useCallback, useEffect, useState } from 'react';
import { useNavigate } from 'react-router';
import { pushApi, toApiError } from '../../lib/api';
import { useResource } from '../../lib/hooks';
import { useMobileApp } from '../../ui/mobile/AppContext';
import { Page } from '../../ui/mobile/Page';
import { ErrorView, LoadingView } from '../../ui/mobile/StatusViews';
import { currentPermission, currentSubscription, pushEnvironment, turnOff, turnOn } from './browser';
import { usePushT } from './i18n';
import {
  categoriesFor,
  crossesMidnight,
  detectSupport,
  deviceState,
  deviceTimeZone,
  minutesOf,
  needsServerCleanup,
  type Category,
  type Permission,
} from './model';

interface BrowserState {
  permission: Permission;
  subscribed: boolean;
}

/**
 * `/me/notifications` (NOT-1, PER-1): why notifications help before the browser asks, what to do when the
 * browser blocks them, this device on/off (off = unsubscribed on the server and in the browser), what to be
 * notified about, and quiet hours.
 */
export function NotificationsPage() {
  const t = usePushT();
  const app = useMobileApp();
  const navigate = useNavigate();
  const support = detectSupport(pushEnvironment());
  const prefsRes = useResource(() => pushApi.preferences(), []);
  const [prefs, setPrefs] = useState<PushPreferences>();
  const [browser, setBrowser] = useState<BrowserState>();
  const [busy, setBusy] = useState<'device' | 'prefs' | null>(null);
  const [quietError, setQuietError] = useState<string | null>(null);

  useEffect(() => {
    if (prefsRes.data) setPrefs(prefsRes.data);
  }, [prefsRes.data]);

  const readBrowser = useCallback(async (): Promise<BrowserState> => {
    const state = {
      permission: support === 'supported' ? currentPermission() : ('default' as Permission),
      subscribed: support === 'supported' ? (await currentSubscription(app)) !== null : false,
    };
    setBrowser(state);
    return state;
  }, [app, support]);

  useEffect(() => {
    void readBrowser();
  }, [readBrowser]);

  // PER-1: a permission revoked in the browser settings ends collection at once: drop this device's record.
  useEffect(() => {
    if (!prefs || !browser || busy !== null) return;
    const input = {
      support,
      permission: browser.permission,
      browserSubscribed: browser.subscribed,
      serverSubscribed: prefs.thisDevice,
    };
    if (!needsServerCleanup(input)) return;
    void pushApi
      .unsubscribe()
      .then(() => setPrefs((p) => (p ? { ...p, thisDevice: false, devices: Math.max(0, p.devices - 1) } : p)))
      .catch(() => undefined);
  }, [prefs, browser, support, busy]);

  const state =
    prefs && browser
      ? deviceState({
          support,
          permission: browser.permission,
          browserSubscribed: browser.subscribed,
          serverSubscribed: prefs.thisDevice,
        })
      : null;

  const enable = async () => {
    setBusy('device');
    try {
      // Asked here and only here: the person just tapped "Turn on notifications".
      const result = await turnOn(app);
      if (result === 'on') Toast.show({ icon: 'success', content: t('push.device.turnedOn') });
      else if (result === 'default') Toast.show({ content: t('push.device.dismissed'), duration: 3000 });
      await readBrowser();
      setPrefs(await pushApi.preferences());
    } catch (err) {
      const e = toApiError(err);
      const message = e.code === 'UNEXPECTED' ? t('push.device.browserFailed') : e.message;
      Toast.show({ content: t('push.device.turnOnFailed', { message }), duration: 4000 });
    } finally {
      await readBrowser();
      setBusy(null);
    }
  };

  const disable = async () => {
    setBusy('device');
    try {
      await turnOff(app);
      Toast.show({ content: t('push.device.turnedOff'), duration: 3000 });
      await readBrowser();
      setPrefs(await pushApi.preferences());
    } catch (err) {
      Toast.show({ content: t('push.device.turnOffFailed', { message: toApiError(err).message }), duration: 4000 });
    } finally {
      await readBrowser();
      setBusy(null);
    }
  };

  const recheck = async () => {
    const next = await readBrowser();
    if (next.permission === 'denied') Toast.show({ content: t('push.blocked.stillBlocked'), duration: 3000 });
  };

  const save = async (body: PushPreferencesBody) => {
    if (!prefs) return;
    const previous = prefs;
    setPrefs({ ...prefs, ...body });
    setBusy('prefs');
    try {
      setPrefs(await pushApi.savePreferences(body));
      Toast.show({ content: t('push.categories.saved'), duration: 1000 });
    } catch (err) {
      setPrefs(previous);
      Toast.show({ content: t('push.categories.saveFailed', { message: toApiError(err).message }), duration: 4000 });
    } finally {
      setBusy(null);
    }
  };
  const bodyOf = (p: PushPreferences): PushPreferencesBody => ({ categories: p.categories, quietHours: p.quietHours });

  const setCategory = (c: Category, on: boolean) => {
    if (!prefs) return;
    void save({ ...bodyOf(prefs), categories: { ...prefs.categories, [c]: on } });
  };

  const setQuiet = (change: Partial<PushPreferences['quietHours']>) => {
    if (!prefs) return;
    const quietHours = { ...prefs.quietHours, ...change };
    if (minutesOf(quietHours.start) === null || minutesOf(quietHours.end) === null) return;
    if (quietHours.enabled && quietHours.start === quietHours.end) {
      setQuietError(t('push.quiet.sameTime'));
      setPrefs({ ...prefs, quietHours });
      return;
    }
    setQuietError(null);
    void save({ ...bodyOf(prefs), quietHours });
  };

  const deviceZone = deviceTimeZone();
  const categoryLabel = (c: Category) =>
    c === 'consultations'
      ? t(app === 'doctor' ? 'push.categories.consultationsDoctor' : 'push.categories.consultationsPatient')
      : t(`push.categories.${c}`);

  return (
    <Page title={t('push.title')} backTo="/me">
      <div className="ax-list-page ax-push" data-testid="push-settings">
        {!prefs && prefsRes.loading && <LoadingView text={t('push.loading')} />}
        {!prefs && prefsRes.error && (
          <ErrorView
            error={prefsRes.error}
            title={t('push.loadFailed')}
            onRetry={() => void prefsRes.reload()}
            testId="push-error"
          />
        )}
        {prefs && state && (
          <>
            {(state === 'unsupported' || state === 'needs_home_screen') && (
              <section className="ax-push-card" data-testid="push-unsupported">
                <h2>{t(state === 'unsupported' ? 'push.unsupported.title' : 'push.unsupported.iosTitle')}</h2>
                <p>{t(state === 'unsupported' ? 'push.unsupported.body' : 'push.unsupported.iosBody')}</p>
              </section>
            )}

            {state === 'blocked' && (
              <section className="ax-push-card" data-testid="push-blocked">
                <h2>{t('push.blocked.title')}</h2>
                <p>{t('push.blocked.intro')}</p>
                <ul>
                  <li>{t('push.blocked.chrome')}</li>
                  <li>{t('push.blocked.safari')}</li>
                  <li>{t('push.blocked.other')}</li>
                </ul>
                <Button block fill="outline" color="primary" onClick={() => void recheck()} data-testid="push-recheck">
                  {t('push.blocked.recheck')}
                </Button>
              </section>
            )}

            {state === 'off' && (
              <section className="ax-push-card" data-testid="push-purpose">
                <h2>{t('push.purpose.title')}</h2>
                <p>{t(app === 'doctor' ? 'push.purpose.whyDoctor' : 'push.purpose.whyPatient')}</p>
                <ul>
                  <li>{t('push.purpose.what')}</li>
                  <li>{t('push.purpose.who')}</li>
                  <li>{t('push.purpose.session')}</li>
                </ul>
                <p className="ax-muted">{t('push.purpose.ask')}</p>
                <Button
                  block
                  color="primary"
                  size="large"
                  loading={busy === 'device'}
                  disabled={busy !== null}
                  onClick={() => void enable()}
                  data-testid="push-enable"
                >
                  {t('push.purpose.enable')}
                </Button>
              </section>
            )}

            {state === 'on' && (
              <List header={t('push.device.header')} mode="card">
                <List.Item
                  description={
                    <>
                      <div>{t('push.device.onHint')}</div>
                      <div>{t('push.device.devices', { count: prefs.devices })}</div>
                    </>
                  }
                  extra={
                    <Switch
                      checked
                      loading={busy === 'device'}
                      disabled={busy !== null}
                      onChange={(on) => {
                        if (!on) void disable();
                      }}
                      data-testid="push-device-switch"
                    />
                  }
                >
                  {t('push.device.on')}
                </List.Item>
              </List>
            )}

            {prefsRes.error && (
              <NoticeBar
                color="alert"
                wrap
                content={prefsRes.error.isNetwork ? t('push.loadFailed') : prefsRes.error.message}
              />
            )}

            <List header={t('push.categories.header')} mode="card" data-testid="push-categories">
              {categoriesFor(app).map((c) => (
                <List.Item
                  key={c}
                  extra={
                    <Switch
                      checked={prefs.categories[c]}
                      disabled={busy !== null}
                      onChange={(on) => setCategory(c, on)}
                      data-testid={`push-category-${c}`}
                    />
                  }
                >
                  {categoryLabel(c)}
                </List.Item>
              ))}
            </List>
            <p className="ax-muted ax-intro">{t('push.categories.hint')}</p>

            <List header={t('push.quiet.header')} mode="card" data-testid="push-quiet">
              <List.Item
                extra={
                  <Switch
                    checked={prefs.quietHours.enabled}
                    disabled={busy !== null}
                    onChange={(on) => setQuiet({ enabled: on })}
                    data-testid="push-quiet-switch"
                  />
                }
              >
                {t('push.quiet.enabled')}
              </List.Item>
              {prefs.quietHours.enabled && (
                <>
                  <List.Item
                    extra={
                      <input
                        type="time"
                        className="ax-push-time"
                        value={prefs.quietHours.start}
                        disabled={busy !== null}
                        onChange={(e) => setQuiet({ start: e.target.value })}
                        aria-label={t('push.quiet.start')}
                        data-testid="push-quiet-start"
                      />
                    }
                  >
                    {t('push.quiet.start')}
                  </List.Item>
                  <List.Item
                    extra={
                      <span className="ax-push-end">
                        {crossesMidnight(prefs.quietHours.start, prefs.quietHours.end) && (
                          <span className="ax-muted ax-small">{t('push.quiet.nextDay')}</span>
                        )}
                        <input
                          type="time"
                          className="ax-push-time"
                          value={prefs.quietHours.end}
                          disabled={busy !== null}
                          onChange={(e) => setQuiet({ end: e.target.value })}
                          aria-label={t('push.quiet.end')}
                          data-testid="push-quiet-end"
                        />
                      </span>
                    }
                  >
                    {t('push.quiet.end')}
                  </List.Item>
                  <List.Item
                    description={
                      deviceZone && deviceZone !== prefs.quietHours.timeZone ? (
                        <Button
                          size="mini"
                          fill="outline"
                          disabled={busy !== null}
                          onClick={() => setQuiet({ timeZone: deviceZone })}
                          data-testid="push-use-device-zone"
                        >
                          {t('push.quiet.useDevice', { zone: deviceZone })}
                        </Button>
                      ) : undefined
                    }
                  >
                    {t('push.quiet.timeZone', { zone: prefs.quietHours.timeZone })}
                  </List.Item>
                </>
              )}
            </List>
            {quietError && <NoticeBar color="alert" wrap content={quietError} data-testid="push-quiet-error" />}
            <p className="ax-muted ax-intro">{t('push.quiet.hint')}</p>

            <div className="ax-actions">
              <Button
                block
                fill="none"
                color="primary"
                onClick={() => navigate('/notices')}
                data-testid="push-open-notices"
              >
                {t('push.openNotices')}
              </Button>
            </div>
          </>
        )}
      </div>
    </Page>
  );
}
