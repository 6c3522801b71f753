/**
 * Every error a caller can see is a code from this table: one HTTP status, one zh-CN and one English message.
 * Services throw AppError(code, params); only the error handler turns codes into HTTP responses.
 */
import type { ErrorCode } from '@anxin/contracts';

type Params = Record<string, string | number>;
interface ErrorSpec {
  status: number;
  zh: (p: Params) => string;
  en: (p: Params) => string;
}

const wait = (p: Params) => Number(p.seconds ?? 0);

export const ERRORS = {
  VALIDATION_FAILED: {
    status: 400,
    zh: (p) => `提交的内容有误：${p.field ? `“${p.field}” ` : ''}${p.detail ?? '格式不正确'}，请检查后重试。`,
    en: (p) =>
      `Invalid input${p.field ? ` in "${p.field}"` : ''}: ${p.detail ?? 'wrong format'}. Please check and try again.`,
  },
  BAD_JSON: { status: 400, zh: () => '请求内容不是有效的 JSON。', en: () => 'The request body is not valid JSON.' },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    zh: () => '不支持的内容类型，请以 JSON 提交。',
    en: () => 'Unsupported content type; please send JSON.',
  },
  PAYLOAD_TOO_LARGE: { status: 413, zh: () => '提交的内容过大。', en: () => 'The request is too large.' },
  NOT_FOUND: { status: 404, zh: () => '找不到该内容或接口。', en: () => 'Not found.' },
  AUTH_REQUIRED: { status: 401, zh: () => '请先登录。', en: () => 'Please sign in first.' },
  SESSION_EXPIRED: {
    status: 401,
    zh: () => '登录已过期，请重新登录。',
    en: () => 'Your session has expired. Please sign in again.',
  },
  FORBIDDEN: { status: 403, zh: () => '您没有权限进行此操作。', en: () => 'You do not have permission to do this.' },
  WRONG_APP: {
    status: 403,
    zh: () => '该账号不能使用此功能，请在对应的应用中登录。',
    en: () => 'This account cannot use this feature; please sign in to the right app.',
  },
  CSRF_ORIGIN_MISMATCH: {
    status: 403,
    zh: () => '请求来源校验失败，请刷新页面后重试。',
    en: () => 'The request did not come from this site. Please reload the page and try again.',
  },
  POLICY_ACCEPTANCE_REQUIRED: {
    status: 403,
    zh: () => '隐私政策已更新，请阅读并同意新版本后继续使用。',
    en: () => 'Our privacy policy has changed. Please read and accept the new version to continue.',
  },
  POLICY_CONSENT_REQUIRED: {
    status: 400,
    zh: () => '请先阅读并勾选同意《用户协议》和《隐私政策》。',
    en: () => 'Please read and tick your agreement to the Terms and the Privacy Policy first.',
  },
  POLICY_VERSION_OUTDATED: {
    status: 409,
    zh: () => '隐私政策已有新版本，请刷新后阅读最新版本。',
    en: () => 'A newer privacy policy has been published. Please reload and read it.',
  },
  CONSENT_TEXT_MISMATCH: {
    status: 409,
    zh: () => '您同意的文本与当前版本不一致，请刷新后重新阅读。',
    en: () => 'The text you agreed to does not match the current version. Please reload and read it again.',
  },
  CONSENT_NOT_GIVEN: {
    status: 409,
    zh: () => '您尚未给出该项同意，无需撤回。',
    en: () => 'You have not given this consent, so there is nothing to withdraw.',
  },
  PHOTO_TOO_LARGE: {
    status: 413,
    zh: (p) => `照片太大了，请选择 ${p.limitMb ?? 10} MB 以内的照片。`,
    en: (p) => `The photo is too large; please choose one under ${p.limitMb ?? 10} MB.`,
  },
  PHOTO_TYPE_UNSUPPORTED: {
    status: 415,
    zh: () => '仅支持 JPEG、PNG、WebP 格式的照片。iPhone 用户可在“设置 > 相机 > 格式”中选择“兼容性最佳”后重新拍摄。',
    en: () =>
      'Only JPEG, PNG and WebP photos are accepted. On iPhone, choose Settings > Camera > Formats > Most Compatible and retake the photo.',
  },
  PHOTO_UNREADABLE: {
    status: 400,
    zh: () => '无法读取这张照片，文件可能已损坏，请重新拍摄或选择其他照片。',
    en: () => 'This photo cannot be read; the file may be damaged. Please retake it or choose another.',
  },
  PHOTO_TOO_SMALL: {
    status: 400,
    zh: (p) => `照片分辨率太低（短边至少 ${p.min ?? 300} 像素），审核人员无法看清，请重新拍摄。`,
    en: (p) =>
      `The photo resolution is too low (at least ${p.min ?? 300} px on the short side) to be read; please retake it.`,
  },
  PHOTO_NOT_FOUND: { status: 404, zh: () => '还没有上传这张照片。', en: () => 'No photo has been uploaded here yet.' },
  SENSITIVE_CONSENT_REQUIRED: {
    status: 409,
    zh: () => '提交入驻申请前，请先阅读并同意处理敏感个人信息的单独告知。',
    en: () => 'Before submitting, please read and accept the separate notice on processing sensitive personal data.',
  },
  APPLICATION_INCOMPLETE: {
    status: 400,
    zh: (p) => `还缺少“${p.label ?? '必填项'}”：${p.purpose ?? ''}请补充后再提交，其他功能不受影响。`,
    en: (p) =>
      `"${p.labelEn ?? 'A required item'}" is still missing: ${p.purposeEn ?? ''} Please add it and submit again; everything else keeps working.`,
  },
  APPLICATION_INVALID: {
    status: 400,
    zh: (p) => `“${p.label ?? '某项信息'}”有误：${p.detail ?? '请核对后修改。'}`,
    en: (p) => `"${p.labelEn ?? 'A field'}" is not valid: ${p.detailEn ?? 'please check it.'}`,
  },
  APPLICATION_NOT_EDITABLE: {
    status: 409,
    zh: () => '申请正在审核中，暂时不能修改。审核结果出来后会通知您。',
    en: () => 'Your application is being reviewed and cannot be changed right now. We will notify you of the result.',
  },
  APPLICANT_CONSENT_WITHDRAWN: {
    status: 409,
    zh: () => '申请人已撤回处理敏感个人信息的同意，不能再查看其证件信息或通过审核。',
    en: () =>
      'The applicant has withdrawn consent to process sensitive data; their documents can no longer be viewed or approved.',
  },
  APPLICATION_NOTHING_TO_SUBMIT: {
    status: 409,
    zh: () =>
      '当前没有需要提交审核的修改。已通过的资料修改证件或执业信息后才需要重新审核；未通过的申请请先修改再提交。',
    en: () =>
      'There are no changes to submit. Approved profiles need review again only after credential changes; rejected applications must be edited first.',
  },
  REVIEW_CONFLICT_OF_INTEREST: {
    status: 403,
    zh: () => '不能审核自己的入驻申请，请交由其他审核人员处理。',
    en: () => 'You cannot decide on your own application; please leave it to another reviewer.',
  },
  CONSULTATION_CONSENT_REQUIRED: {
    status: 409,
    zh: () => '发起问诊前，请先阅读并同意处理医疗健康信息的单独告知。',
    en: () => 'Before starting a consultation, please read and accept the separate notice on processing health data.',
  },
  FIRST_VISIT_IN_PERSON: {
    status: 409,
    zh: () => '互联网诊疗仅适用于已确诊疾病的复诊。首次就诊请前往医院线下就诊；如需心理咨询，可选择心理咨询师。',
    en: () =>
      'Online diagnosis and treatment is only for follow-ups of an existing diagnosis. For a first visit, please see a doctor in person; for counselling, choose a counsellor.',
  },
  CONSULTATION_NOT_FOUND: { status: 404, zh: () => '找不到该问诊。', en: () => 'Consultation not found.' },
  CONSULTATION_STATE: {
    status: 409,
    zh: () => '该问诊当前状态不允许此操作，请刷新后再试。',
    en: () => 'This consultation is not in a state that allows this; please refresh.',
  },
  CRISIS_ESCALATION_NOT_FOUND: {
    status: 404,
    zh: () => '找不到这条危机预警记录，可能已被处理。请刷新列表。',
    en: () => 'This crisis escalation was not found; it may have been handled already. Please refresh the list.',
  },
  CRISIS_NOTHING_TO_ACKNOWLEDGE: {
    status: 409,
    zh: () => '这次问诊目前没有待确认的风险提示。',
    en: () => 'There is no risk alert waiting for acknowledgement in this consultation.',
  },
  CONSULTATION_CRISIS_UNACKNOWLEDGED: {
    status: 409,
    zh: () => '这次问诊中有尚未确认的风险提示。结束前，请先确认您已知悉，或附上说明转交平台支持人员跟进。',
    en: () =>
      'This consultation has a risk alert you have not acknowledged. Before ending it, acknowledge the alert, or hand it over to platform support with a note.',
  },
  CONSULTATION_CRISIS_CHANGED: {
    status: 409,
    zh: () => '在您查看之后，患者又发来了带有风险信号的消息。请重新查看风险提示，再决定如何结束。',
    en: () =>
      'The patient has sent more messages with risk signals since you looked. Please review the alert again before ending.',
  },
  CRISIS_ESCALATION_CLOSED: {
    status: 409,
    zh: () => '这条危机预警已经关闭，无需再次处理。',
    en: () => 'This crisis escalation is already closed; nothing more to do.',
  },
  CONSULTATION_NOT_ACTIVE: {
    status: 409,
    zh: () => '问诊尚未开始或已结束，不能发送消息。如需继续，请发起复诊。',
    en: () => 'This consultation has not started or has ended; messages cannot be sent. Start a follow-up to continue.',
  },
  VOICE_NOTE_UNSUPPORTED: {
    status: 415,
    zh: () => '无法识别这段语音的格式。请点聊天框旁的麦克风按钮重新录制。',
    en: () =>
      'This voice recording is in a format we cannot read. Please record it again with the microphone button next to the message box.',
  },
  VOICE_NOTE_TOO_LARGE: {
    status: 413,
    zh: () => '语音太长了，每条语音最长 60 秒，请分成几条发送。',
    en: () => 'The voice note is too long; each one can last at most 60 seconds. Please split it up.',
  },
  VOICE_NOTE_DURATION_REQUIRED: {
    status: 400,
    zh: () => '缺少语音时长，请重新录制后发送。',
    en: () => 'The length of the voice note is missing; please record it again.',
  },
  MEDIA_BUSY: {
    status: 429,
    zh: () => '现在发送图片的人比较多，请稍等几秒再发送。',
    en: () => 'Many images are being sent right now; please wait a few seconds and send it again.',
  },
  MEDIA_QUOTA_EXCEEDED: {
    status: 413,
    zh: () => '这次问诊的图片和语音已达到存储上限，请改用文字交流，或结束后发起复诊。',
    en: () =>
      'This consultation has reached its storage limit for images and voice notes. Please use text, or start a follow-up.',
  },
  FOLLOW_UP_PENDING: {
    status: 409,
    zh: () => '您已经向这位医生发起了复诊，请在那次问诊中继续交流。',
    en: () => 'You have already asked this doctor for a follow-up; please continue in that consultation.',
  },
  MEDIA_NOT_FOUND: {
    status: 404,
    zh: () => '找不到这张图片或这条语音，它可能已按保存期限删除。',
    en: () => 'This image or voice note cannot be found; it may have been deleted at the end of its retention period.',
  },
  CALL_NOT_FOUND: {
    status: 404,
    zh: () => '找不到这通电话，它可能已经结束。',
    en: () => 'This call cannot be found; it may have ended already.',
  },
  CALL_STATE: {
    status: 409,
    zh: () => '这通电话已接通、已结束或尚未接通，不能进行此操作。',
    en: () => 'This call has already been answered, has ended or is not connected yet; this is not possible now.',
  },
  CALL_NOT_ALLOWED: {
    status: 403,
    zh: () => '这一步需要由通话的另一方或在接听的设备上操作。',
    en: () => 'This step is for the other participant, or for the device that answered the call.',
  },
  CALL_ALREADY_IN_CALL: {
    status: 409,
    zh: () => '您正在另一通电话中，请先挂断后再拨打。',
    en: () => 'You are already in another call. Hang up first, then call again.',
  },
  CALL_CONSULTATION_NOT_ACTIVE: {
    status: 409,
    zh: () => '只有进行中的问诊才能语音或视频通话。问诊尚未接诊或已结束时，可以发送消息或发起复诊。',
    en: () =>
      'Voice and video calls are only possible in an ongoing consultation. Before it is accepted or after it ends, send a message or start a follow-up.',
  },
  CALL_SIGNAL_TOO_LARGE: {
    status: 413,
    zh: (p) => `通话连接数据过大${p.limit ? `（上限 ${p.limit} 个字符）` : ''}，已拒绝。请挂断后重新拨打。`,
    en: (p) =>
      `The call set-up data is too large${p.limit ? ` (limit ${p.limit} characters)` : ''} and was refused. Hang up and call again.`,
  },
  CALL_RATE_LIMITED: {
    status: 429,
    zh: (p) => `通话操作过于频繁，请 ${wait(p)} 秒后再试。`,
    en: (p) => `Too many call attempts. Try again in ${wait(p)} s.`,
  },
  APPLICATION_NOT_FOUND: { status: 404, zh: () => '找不到该入驻申请。', en: () => 'Application not found.' },
  APPLICATION_NOT_PENDING: {
    status: 409,
    zh: () => '该申请当前不在待审核状态，可能已被其他审核人员处理，请刷新。',
    en: () => 'This application is not awaiting review; another reviewer may have decided it. Please refresh.',
  },
  REVEAL_REQUIRED: {
    status: 403,
    zh: () => '查看原图前，请先说明目的并点击“查看完整信息”。',
    en: () => 'To see the original, state a purpose with "Reveal" first.',
  },
  REASON_TEMPLATE_UNKNOWN: {
    status: 400,
    zh: () => '请选择与该决定相符的理由模板。',
    en: () => 'Please choose a reason template that matches this decision.',
  },
  DOCTOR_NOT_FOUND: {
    status: 404,
    zh: () => '找不到这位医生，可能已停止执业。',
    en: () => 'Doctor not found; they may no longer practise here.',
  },
  NOTICE_NOT_FOUND: { status: 404, zh: () => '找不到这条通知。', en: () => 'Notice not found.' },
  PUSH_ENDPOINT_INVALID: {
    status: 400,
    zh: () => '浏览器提供的推送地址无效（须为 https 地址）。请关闭消息通知后重新开启。',
    en: () =>
      'The push address from your browser is not valid (it must be https). Turn notifications off and on again.',
  },
  PUSH_SERVICE_UNSUPPORTED: {
    status: 400,
    zh: () => '暂不支持此浏览器的推送服务。请使用 Chrome、Edge、Firefox 或 Safari 开启通知；应用内的消息通知不受影响。',
    en: () =>
      "This browser's push service is not supported. Use Chrome, Edge, Firefox or Safari for notifications; in-app notices keep working.",
  },
  PUSH_KEYS_INVALID: {
    status: 400,
    zh: () => '浏览器提供的推送密钥无效。请关闭消息通知后重新开启。',
    en: () => 'The push keys from your browser are not valid. Turn notifications off and on again.',
  },
  PUSH_QUIET_HOURS_INVALID: {
    status: 400,
    zh: () => '免打扰时段无效：请用 24 小时制填写开始和结束时间，且两者不能相同。',
    en: () => 'Quiet hours are not valid: use 24-hour times, and the start and end must differ.',
  },
  PUSH_TIME_ZONE_INVALID: {
    status: 400,
    zh: () => '无法识别该时区，请重新选择（默认为北京时间 Asia/Shanghai）。',
    en: () => 'Unknown time zone; please choose another (the default is Beijing time, Asia/Shanghai).',
  },
  PHONE_REQUIRED: { status: 400, zh: () => '请输入手机号。', en: () => 'Please enter your mobile number.' },
  PHONE_NOT_MAINLAND_MOBILE: {
    status: 400,
    zh: () => '请输入正确的中国大陆手机号（11 位，以 13–19 开头）。',
    en: () => 'Please enter a valid mainland China mobile number (11 digits starting with 13–19).',
  },
  OTP_RESEND_TOO_SOON: {
    status: 429,
    zh: (p) => `验证码已发送，请 ${wait(p)} 秒后再重新获取。`,
    en: (p) => `A code was just sent. You can request another in ${wait(p)} s.`,
  },
  OTP_PHONE_HOURLY_LIMIT: {
    status: 429,
    zh: (p) => `该手机号获取验证码过于频繁，请 ${Math.ceil(wait(p) / 60)} 分钟后再试。`,
    en: (p) => `Too many codes for this number. Try again in ${Math.ceil(wait(p) / 60)} min.`,
  },
  OTP_PHONE_DAILY_LIMIT: {
    status: 429,
    zh: (p) => `该手机号今日获取验证码次数已达上限，请 ${Math.ceil(wait(p) / 3600)} 小时后再试，或拨打客服热线。`,
    en: (p) => `Daily code limit reached for this number. Try again in ${Math.ceil(wait(p) / 3600)} h or call support.`,
  },
  OTP_IP_HOURLY_LIMIT: {
    status: 429,
    zh: (p) => `当前网络获取验证码过于频繁，请 ${Math.ceil(wait(p) / 60)} 分钟后再试。`,
    en: (p) => `Too many codes requested from this network. Try again in ${Math.ceil(wait(p) / 60)} min.`,
  },
  OTP_IP_DAILY_LIMIT: {
    status: 429,
    zh: (p) => `当前网络今日获取验证码次数已达上限，请 ${Math.ceil(wait(p) / 3600)} 小时后再试。`,
    en: (p) => `Daily code limit reached for this network. Try again in ${Math.ceil(wait(p) / 3600)} h.`,
  },
  OTP_NOT_REQUESTED: {
    status: 400,
    zh: () => '请先获取验证码。',
    en: () => 'Please request a code first.',
  },
  OTP_EXPIRED: {
    status: 400,
    zh: () => '验证码已失效（有效期 5 分钟或已使用），请重新获取。',
    en: () => 'This code is no longer valid (codes last 5 minutes and work once). Please request a new one.',
  },
  OTP_INVALID: {
    status: 400,
    zh: (p) => `验证码不正确，还可尝试 ${p.attemptsLeft} 次。`,
    en: (p) => `Wrong code. ${p.attemptsLeft} attempt(s) left.`,
  },
  OTP_LOCKED: {
    status: 400,
    zh: () => '验证码错误次数过多，已失效，请重新获取。',
    en: () => 'Too many wrong attempts; this code no longer works. Please request a new one.',
  },
  SMS_DELIVERY_FAILED: {
    status: 502,
    zh: () => '短信发送失败，请稍后重试。',
    en: () => 'The text message could not be sent. Please try again later.',
  },
  STAFF_NOT_FOUND: {
    status: 403,
    zh: () => '该手机号没有开通工作人员账号，请联系管理员。',
    en: () => 'No staff account uses this number. Please contact an administrator.',
  },
  TOTP_NOT_PENDING: {
    status: 409,
    zh: () => '当前无需输入动态口令。',
    en: () => 'No authenticator code is needed right now.',
  },
  TOTP_INVALID: {
    status: 400,
    zh: () => '动态口令不正确，请查看身份验证器中的最新 6 位数字。',
    en: () => 'Wrong authenticator code. Use the latest 6 digits in your authenticator app.',
  },
  ENROLMENT_INVALID: {
    status: 400,
    zh: () => '绑定链接无效、已使用或已过期，请联系管理员重新生成。',
    en: () => 'This enrolment link is invalid, used or expired. Ask an administrator for a new one.',
  },
  ACCOUNT_DISABLED: {
    status: 403,
    zh: () => '该账号已停用或已注销。',
    en: () => 'This account is disabled or cancelled.',
  },
  SESSION_NOT_FOUND: {
    status: 404,
    zh: () => '该登录设备不存在或已退出。',
    en: () => 'That device session does not exist or has already signed out.',
  },
  DATA_ERASED: {
    status: 410,
    zh: () => '该数据已按要求永久删除。',
    en: () => 'This data has been permanently erased as requested.',
  },
  RIGHTS_REQUEST_NOT_FOUND: {
    status: 404,
    zh: () => '找不到这项申请，请回到“个人信息与隐私”查看您的申请记录。',
    en: () => 'Request not found. See your requests under “Personal data & privacy”.',
  },
  RIGHTS_REQUEST_STATE: {
    status: 409,
    zh: (p) =>
      `这项申请${p.state === 'completed' ? '已办结' : p.state === 'refused' ? '已被拒绝' : p.state === 'withdrawn' ? '已撤回' : '正在处理'}，无法再执行此操作。`,
    en: (p) =>
      `This request is ${String(p.state ?? 'in progress').replace('_', ' ')}; that step is no longer possible.`,
  },
  RIGHTS_REQUEST_OPEN: {
    status: 409,
    zh: () => '您已有一项同类申请正在处理，请等它办结或先撤回它。',
    en: () => 'You already have a request of this kind in progress. Wait for it or withdraw it first.',
  },
  RIGHTS_DETAILS_REQUIRED: {
    status: 400,
    zh: (p) =>
      `请${p.what === 'decision' ? '选择需要解释的自动化决定' : p.what === 'scope' ? '选择要删除的信息' : '写明需要更正或说明的内容'}。`,
    en: (p) =>
      `Please ${p.what === 'decision' ? 'choose the automated decision to explain' : p.what === 'scope' ? 'choose what to delete' : 'say what should be corrected or explained'}.`,
  },
  EXPORT_NOT_READY: {
    status: 409,
    zh: () => '数据副本还在生成中，完成后会通知您，请稍后再下载。',
    en: () => 'Your copy is still being prepared; we will notify you when it is ready.',
  },
  EXPORT_GONE: {
    status: 410,
    zh: () => '下载链接已失效（只能下载一次，7 天后过期）。如需新的副本，请重新申请。',
    en: () => 'This download link no longer works (one download, 7 days). Request a new copy if you need one.',
  },
  CERTIFICATE_NOT_READY: {
    status: 409,
    zh: () => '删除证明将在处理完成后出具，请稍后再查看。',
    en: () => 'The deletion certificate is issued once processing is complete; please check back later.',
  },
  CORRECTION_FIELD_UNKNOWN: {
    status: 400,
    zh: (p) => `无法更正“${p.field ?? ''}”：该项不可在此更正。`,
    en: (p) => `“${p.field ?? ''}” cannot be corrected here.`,
  },
  CALENDAR_NOTICE_INVALID: {
    status: 400,
    zh: (p) => `节假日安排有误：${p.detail ?? '请检查日期'}。`,
    en: (p) => `The holiday notice is invalid: ${p.detail ?? 'check the dates'}.`,
  },
  SUBJECT_NOT_FOUND: {
    status: 404,
    zh: () => '找不到使用该手机号的医生或患者账号，请核对号码和端别。',
    en: () => 'No doctor or patient account uses that number; check the number and the app.',
  },
  RATE_LIMITED: {
    status: 429,
    zh: (p) => `操作过于频繁，请 ${wait(p)} 秒后再试。`,
    en: (p) => `Too many requests. Try again in ${wait(p)} s.`,
  },
  INTERNAL: {
    status: 500,
    zh: () => '服务器开小差了，请稍后重试。如果问题持续，请联系客服。',
    en: () => 'Something went wrong on our side. Please try again later; contact support if it persists.',
  },
} satisfies Record<ErrorCode, ErrorSpec>;

export type { ErrorCode };

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Params = {},
  ) {
    super(code);
  }
  get status(): number {
    return ERRORS[this.code].status;
  }
}

export function describeError(code: ErrorCode, locale: 'zh-CN' | 'en', params: Params = {}): string {
  const spec: ErrorSpec = ERRORS[code];
  return locale === 'en' ? spec.en(params) : spec.zh(params);
}

/** `Accept-Language: en-US,en;q=0.9` → 'en'; anything else → 'zh-CN' (our default). */
export function pickLocale(acceptLanguage: string | undefined): 'zh-CN' | 'en' {
  if (!acceptLanguage) return 'zh-CN';
  const first = acceptLanguage.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'zh-CN';
}
