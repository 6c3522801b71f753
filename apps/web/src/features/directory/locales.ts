/** Copy of the patient-facing doctor directory and public profiles (registered from `./index`). */
import type { BundleShape } from '../onboarding/bundle';

const zh = {
  directory: {
    title: '找医生',
    intro: '这里的医生均已通过平台资质审核。浏览医生信息不需要提供任何个人信息。',
    searchLabel: '搜索医生：姓名、擅长领域、职称、医院或科室',
    searchPlaceholder: '姓名、擅长领域、医院或科室',
    clearSearch: '清除搜索',
    typeLabel: '执业类型',
    typeAll: '全部类型',
    expertiseLabel: '擅长领域',
    expertiseAll: '全部领域',
    types: { psychiatrist: '精神科医生', psychotherapist: '心理治疗师', counsellor: '心理咨询师' },
    verified: '已认证',
    counsellorLabel: '心理咨询（非诊疗）',
    loading: '正在查找医生…',
    loadFailed: '暂时无法加载医生列表，请下拉刷新或稍后重试',
    empty: '暂无符合条件的医生，换个关键词试试',
    emptyHint: '可以换个关键词（姓名、擅长领域、医院或科室），或者清除筛选条件后再看看。',
    emptyAll: '暂时还没有可预约的医生',
    emptyAllHint: '医生通过资质审核后会显示在这里，请过几天再来看看。',
    clearFilters: '清除筛选条件',
    count: '共 {{count}} 位医生',
    moreTags: '+{{count}}',
    avatarAlt: '{{name}}的头像',
    profile: {
      title: '医生主页',
      loading: '正在加载医生主页…',
      loadFailed: '暂时无法加载医生主页，请检查网络后重试',
      notFound: '找不到这位医生',
      notFoundHint: '这位医生可能已暂停在平台执业。您可以返回医生列表，看看其他医生。',
      backToList: '返回医生列表',
      expertise: '擅长领域',
      biography: '个人简介',
      bio: { education: '教育背景', practice: '从业经历', academic: '学术成果', cases: '典型案例' },
      noBio: '医生暂未填写个人简介。',
      verifiedAt: '{{date}} 通过平台资质审核',
      scopes: {
        psychiatrist: '精神科医生可以进行精神障碍的诊断和治疗，并可开具处方。',
        psychotherapist: '心理治疗师提供心理治疗，不开具处方。',
        counsellor: '心理咨询师仅提供心理咨询，不进行诊断和治疗。如需诊断或药物治疗，请选择精神科医生。',
      },
      consult: '发起咨询',
      signInToConsult: '登录后发起咨询',
      signInHint: '浏览医生不需要登录。发起咨询需要先用手机号登录，登录后会回到这位医生。',
    },
    firstVisit: {
      followUpOnly: '线上仅接待复诊',
      followUpOnlyBody:
        '根据互联网诊疗的规定，{{type}}在线上只能为已在医院确诊的疾病提供复诊，不能接待首次就诊。首次就诊请先到医院面诊。',
      both: '首次咨询和复诊都可以',
      bothBody: '心理咨询师提供的是心理咨询，不是诊疗：不做诊断、不开药。首次咨询也可以直接在线上进行。',
      ifFirst: '如果您是第一次就诊，可以：',
      counselling: '先找心理咨询师聊聊',
      counsellingBody: '心理咨询师可以接受首次咨询，帮助您梳理困扰、缓解压力；不做诊断、不开药。',
      counsellingAction: '查看心理咨询师',
      inPerson: '到医院线下就诊',
      inPersonBody:
        '请到附近医院的精神科或心理科（心理门诊）挂号面诊，医生当面评估后才能诊断和开药。确诊后，可以回到这里向医生发起复诊。',
    },
    visitor: {
      intro: '不用登录也可以浏览医生。',
      signIn: '登录',
      signInHint: '已经在安心问诊过？登录后可以查看进度、和医生交流。',
    },
    home: {
      body: '在这里可以找到通过平台资质审核的心理医生，查看他们的执业信息和擅长领域。发起咨询前，我们会单独征求您对处理敏感个人信息（如心理健康信息）的同意。',
      step1: '浏览认证医生，了解资质和擅长领域',
      step2: '发起咨询前，单独同意处理敏感个人信息',
      step3: '医生接诊后，在线上和医生文字交流',
    },
  },
};

export type DirectoryBundle = typeof zh;

const en: BundleShape<DirectoryBundle> = {
  directory: {
    title: 'Find a doctor',
    intro: 'Every doctor here has had their credentials verified by Anxin. Browsing needs no personal information.',
    searchLabel: 'Search doctors by name, expertise, title, hospital or department',
    searchPlaceholder: 'Name, expertise, hospital or department',
    clearSearch: 'Clear search',
    typeLabel: 'Practitioner type',
    typeAll: 'All types',
    expertiseLabel: 'Expertise',
    expertiseAll: 'All areas',
    types: { psychiatrist: 'Psychiatrist', psychotherapist: 'Psychotherapist', counsellor: 'Counsellor' },
    verified: 'Verified',
    counsellorLabel: 'Counselling (not medical care)',
    loading: 'Finding doctors…',
    loadFailed: 'Could not load doctors. Pull down to refresh or try again later.',
    empty: 'No doctors match. Try another search.',
    emptyHint: 'Try another word (name, expertise, hospital or department), or clear the filters.',
    emptyAll: 'No doctors are available yet',
    emptyAllHint: 'Doctors appear here once their credentials are verified. Please check back in a few days.',
    clearFilters: 'Clear filters',
    count: '{{count}} doctor(s)',
    moreTags: '+{{count}}',
    avatarAlt: 'Photo of {{name}}',
    profile: {
      title: 'Doctor profile',
      loading: 'Loading profile…',
      loadFailed: 'Could not load this profile. Check your connection and try again.',
      notFound: 'Doctor not found',
      notFoundHint: 'This doctor may no longer practise on Anxin. Go back to the list to see other doctors.',
      backToList: 'Back to the list',
      expertise: 'Expertise',
      biography: 'About',
      bio: {
        education: 'Education',
        practice: 'Experience',
        academic: 'Research and publications',
        cases: 'Typical cases',
      },
      noBio: 'This doctor has not written a biography yet.',
      verifiedAt: 'Credentials verified by Anxin on {{date}}',
      scopes: {
        psychiatrist: 'Psychiatrists diagnose and treat mental disorders and may prescribe medication.',
        psychotherapist: 'Psychotherapists provide psychotherapy; they do not prescribe.',
        counsellor:
          'Counsellors provide counselling only: no diagnosis and no treatment. For a diagnosis or medication, choose a psychiatrist.',
      },
      consult: 'Start a consultation',
      signInToConsult: 'Sign in to start a consultation',
      signInHint:
        'Browsing needs no account. To start a consultation, sign in with your mobile number; you will come back to this doctor.',
    },
    firstVisit: {
      followUpOnly: 'Follow-ups only online',
      followUpOnlyBody:
        'By the rules for internet medical care, psychiatrists and psychotherapists may only see follow-ups of a condition already diagnosed in hospital, not first visits. For a first visit, please see a doctor in person first.',
      both: 'First visits and follow-ups',
      bothBody:
        'Counsellors provide counselling, not medical care: no diagnosis and no medication. A first visit can be online too.',
      ifFirst: 'If this is your first visit, you can:',
      counselling: 'Talk to a counsellor first',
      counsellingBody:
        'Counsellors take first visits. They can help you sort out what troubles you and ease stress; they do not diagnose or prescribe.',
      counsellingAction: 'See counsellors',
      inPerson: 'See a doctor in person',
      inPersonBody:
        'Please book the psychiatry or psychology clinic of a hospital near you: a diagnosis and medication need an in-person assessment. Once diagnosed, you can come back here and ask the doctor for a follow-up.',
    },
    visitor: {
      intro: 'You can browse doctors without signing in.',
      signIn: 'Sign in',
      signInHint: 'Consulted on Anxin before? Sign in to see your consultations and talk to your doctor.',
    },
    home: {
      body: 'Find psychologists and psychiatrists whose credentials Anxin has verified, and see their practice and expertise. Before you start a consultation we will separately ask for your consent to process sensitive personal information (such as mental health information).',
      step1: 'Browse verified doctors: credentials and expertise',
      step2: 'Before a consultation, agree to sensitive data processing',
      step3: 'Once the doctor accepts, talk with them online',
    },
  },
};

export const directoryLocales = { 'zh-CN': zh, en };
