/** Copy of the notification settings (registered from `./index`). */
import type { BundleShape } from '../onboarding/bundle';

const zh = {
  push: {
    title: '消息通知设置',
    meEntry: '消息通知设置',
    loading: '正在读取通知设置…',
    loadFailed: '暂时无法读取通知设置，请稍后重试',
    device: {
      header: '本设备',
      on: '本设备接收通知',
      onHint: '有新消息时，即使没有打开安心也会收到提醒。',
      devices: '您的账号共有 {{count}} 台设备接收通知',
      turnedOn: '已开启本设备的通知',
      turnedOff: '已关闭本设备的通知，之后只在应用内提醒',
      turnOffFailed: '未能关闭通知：{{message}}',
      turnOnFailed: '未能开启通知：{{message}}',
      browserFailed: '浏览器未能完成订阅，请稍后再试；也可以换用最新版 Chrome、Edge、Firefox 或 Safari。',
      dismissed: '您没有选择是否允许通知。需要时可以再次点击“开启通知”。',
    },
    purpose: {
      title: '开启消息通知',
      whyDoctor: '开启后，即使没有打开安心，您也能及时知道：新的问诊请求、患者发来的新消息、来电，以及入驻审核结果。',
      whyPatient: '开启后，即使没有打开安心，您也能及时知道：医生已接诊、医生回复了新消息、来电。',
      what: '通知只显示“您有一条新消息”这类提示，不会显示任何姓名或消息内容。',
      who: '通知经浏览器厂商的推送服务（如 Google、Apple、Mozilla、Microsoft）加密送达，它们无法读取内容；我们不会提供您的设备型号等信息。',
      session:
        '只有保持登录的设备会收到通知：退出登录后本设备立即停止接收；登录时未勾选“保持登录”的，30 分钟未使用后也会自动停止。',
      ask: '点击下方按钮后，浏览器会询问是否允许通知。不开启也不影响使用，所有提醒仍会显示在应用内的“消息通知”中。',
      enable: '开启通知',
    },
    blocked: {
      title: '通知已被浏览器阻止',
      intro: '您之前在浏览器中拒绝了通知。想要开启，请按下面的方法改为“允许”，然后回到本页点击“重新检查”：',
      chrome: 'Chrome / Edge（电脑或安卓）：点地址栏左侧的图标 →“网站设置”或“权限”→“通知”改为“允许”。',
      safari: 'iPhone / iPad：打开系统“设置”→“通知”→ 找到“安心”并打开“允许通知”。',
      other: '其他浏览器：在浏览器设置的“网站权限”或“通知”中，找到本网站并改为允许。',
      recheck: '重新检查',
      stillBlocked: '通知仍被阻止，请按上面的方法修改后再试。',
    },
    unsupported: {
      title: '这个浏览器不支持消息通知',
      body: '所有提醒仍会显示在应用内的“消息通知”中。如需系统通知，请使用最新版 Chrome、Edge、Firefox 或 Safari 打开安心。',
      iosTitle: '请先把安心添加到主屏幕',
      iosBody:
        '在 iPhone / iPad 上，需要先在 Safari 中点“分享”→“添加到主屏幕”，再从主屏幕打开安心，才能开启通知（需要 iOS 16.4 或更高版本）。',
    },
    categories: {
      header: '接收哪些通知',
      hint: '对您所有开启了通知的设备生效。关闭某一类后，它仍会显示在应用内的“消息通知”中。',
      messages: '新消息',
      calls: '来电和未接来电',
      consultationsDoctor: '新的问诊请求和问诊状态',
      consultationsPatient: '问诊进展（接诊、结束等）',
      review: '入驻审核结果',
      saved: '已保存',
      saveFailed: '未能保存：{{message}}',
    },
    quiet: {
      header: '免打扰时段',
      enabled: '开启免打扰',
      start: '开始时间',
      end: '结束时间',
      timeZone: '时区：{{zone}}',
      useDevice: '改用本设备时区（{{zone}}）',
      hint: '免打扰时段内不推送通知，这段时间的提醒也不会稍后补发；应用内的“消息通知”照常保留。可以跨过午夜，例如 22:00 至次日 07:00。医生端的患者安全提醒不受免打扰和分类开关限制。',
      sameTime: '开始和结束时间不能相同。',
      nextDay: '次日',
    },
    openNotices: '查看应用内的消息通知',
  },
};

export type PushBundle = typeof zh;

const en: BundleShape<PushBundle> = {
  push: {
    title: 'Notifications',
    meEntry: 'Notifications',
    loading: 'Loading notification settings…',
    loadFailed: 'Could not load notification settings. Please try again later.',
    device: {
      header: 'This device',
      on: 'Notifications on this device',
      onHint: 'You are alerted to new messages even when Anxin is closed.',
      devices: '{{count}} device(s) on your account receive notifications',
      turnedOn: 'Notifications are on for this device',
      turnedOff: 'Notifications are off for this device; you will only see notices in the app',
      turnOffFailed: 'Could not turn notifications off: {{message}}',
      turnOnFailed: 'Could not turn notifications on: {{message}}',
      browserFailed:
        'The browser could not finish subscribing. Please try again later, or use a recent Chrome, Edge, Firefox or Safari.',
      dismissed: 'You did not choose whether to allow notifications. Tap "Turn on notifications" again when you like.',
    },
    purpose: {
      title: 'Turn on notifications',
      whyDoctor:
        'With notifications on you learn about new consultation requests, new messages from patients, calls and your verification result even when Anxin is closed.',
      whyPatient:
        'With notifications on you learn when your doctor accepts, replies or calls, even when Anxin is closed.',
      what: 'A notification only says something like "You have a new message": never a name or message content.',
      who: 'Notifications travel encrypted through your browser vendor’s push service (such as Google, Apple, Mozilla or Microsoft), which cannot read them. We do not give it your device model or other device data.',
      session:
        'Only signed-in devices receive notifications: signing out stops them at once on this device, and without "keep me signed in" they also stop after 30 minutes of inactivity.',
      ask: 'When you tap the button below, your browser asks whether to allow notifications. Anxin works fine without them: every notice still appears under Notices in the app.',
      enable: 'Turn on notifications',
    },
    blocked: {
      title: 'Your browser blocks notifications',
      intro:
        'You declined notifications in this browser before. To turn them on, allow them as below, then come back and tap "Check again":',
      chrome:
        'Chrome / Edge (computer or Android): tap the icon left of the address bar → "Site settings" or "Permissions" → set "Notifications" to "Allow".',
      safari: 'iPhone / iPad: open Settings → Notifications → Anxin and switch on "Allow Notifications".',
      other: 'Other browsers: in the browser settings under site permissions or notifications, allow this site.',
      recheck: 'Check again',
      stillBlocked: 'Notifications are still blocked. Change the setting as described above and try again.',
    },
    unsupported: {
      title: 'This browser does not support notifications',
      body: 'Every notice still appears under Notices in the app. For system notifications, open Anxin in a recent Chrome, Edge, Firefox or Safari.',
      iosTitle: 'Add Anxin to your home screen first',
      iosBody:
        'On iPhone and iPad, tap Share → "Add to Home Screen" in Safari, then open Anxin from the home screen to turn notifications on (iOS 16.4 or later).',
    },
    categories: {
      header: 'What to notify me about',
      hint: 'Applies to all your devices with notifications on. Anything switched off still appears under Notices in the app.',
      messages: 'New messages',
      calls: 'Calls and missed calls',
      consultationsDoctor: 'New consultation requests and their status',
      consultationsPatient: 'Consultation updates (accepted, ended…)',
      review: 'Verification results',
      saved: 'Saved',
      saveFailed: 'Could not save: {{message}}',
    },
    quiet: {
      header: 'Quiet hours',
      enabled: 'Quiet hours on',
      start: 'From',
      end: 'Until',
      timeZone: 'Time zone: {{zone}}',
      useDevice: 'Use this device’s time zone ({{zone}})',
      hint: 'No notifications are pushed during quiet hours, and they are not sent later; notices in the app stay as usual. Quiet hours may cross midnight, e.g. 22:00 to 07:00. For doctors, patient-safety alerts are sent regardless of quiet hours and categories.',
      sameTime: 'Start and end must differ.',
      nextDay: 'next day',
    },
    openNotices: 'See notices in the app',
  },
};

export const pushLocales = { 'zh-CN': zh, en };
