/** Copy of in-app notices (registered from `./index`). */
import type { BundleShape } from '../onboarding/bundle';

const zh = {
  notices: {
    title: '消息通知',
    bell: '消息通知',
    bellUnread: '消息通知，{{count}} 条未读',
    loading: '正在加载通知…',
    loadFailed: '暂时无法加载通知，请下拉刷新或稍后重试',
    empty: '暂时没有通知',
    emptyDoctor: '入驻审核结果、需要您处理的事项等重要消息会显示在这里，有新消息时首页的铃铛会提示您。',
    emptyPatient: '咨询预约、医生回复等重要消息会显示在这里，有新消息时首页的铃铛会提示您。',
    unread: '未读',
    markReadFailed: '未能标记为已读：{{message}}',
    open: '查看',
  },
};

export type NoticesBundle = typeof zh;

const en: BundleShape<NoticesBundle> = {
  notices: {
    title: 'Notices',
    bell: 'Notices',
    bellUnread: 'Notices, {{count}} unread',
    loading: 'Loading notices…',
    loadFailed: 'Could not load notices. Pull down to refresh or try again later.',
    empty: 'No notices yet',
    emptyDoctor:
      'Important messages such as your verification result or things you need to act on appear here. The bell on the home page shows when there is something new.',
    emptyPatient:
      'Important messages such as appointments and replies from your doctor appear here. The bell on the home page shows when there is something new.',
    unread: 'Unread',
    markReadFailed: 'Could not mark as read: {{message}}',
    open: 'Open',
  },
};

export const noticesLocales = { 'zh-CN': zh, en };
