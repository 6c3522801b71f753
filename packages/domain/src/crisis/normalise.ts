/**
 * Text normalisation before crisis matching: full-width forms to half-width and other compatibility forms (NFKC),
 * lower case, curly apostrophes to straight ones, zero-width characters removed, common traditional characters of
 * the lexicon's vocabulary to simplified ones, runs of whitespace to one space, and no space next to a Chinese
 * character (so "我 想 死" reads as "我想死").
 */

/** Traditional → simplified for the characters the lexicon's phrases use (not a general converter). */
const TRADITIONAL: Record<string, string> = Object.fromEntries(
  [
    '殺杀',
    '樓楼',
    '絕绝',
    '藥药',
    '傷伤',
    '結结',
    '離离',
    '開开',
    '過过',
    '會会',
    '沒没',
    '為为',
    '爲为',
    '們们',
    '個个',
    '這这',
    '麼么',
    '樣样',
    '頭头',
    '牆墙',
    '還还',
    '說说',
    '覺觉',
    '經经',
    '來来',
    '見见',
    '別别',
    '從从',
    '後后',
    '對对',
    '時时',
    '無无',
    '義义',
    '話话',
    '聯联',
    '繫系',
    '遺遗',
    '書书',
    '殘残',
    '繩绳',
    '農农',
    '橋桥',
    '臺台',
    '陽阳',
    '輕轻',
    '尋寻',
    '盡尽',
    '決决',
    '劃划',
    '計计',
    '準准',
    '備备',
    '脫脱',
    '負负',
    '擔担',
    '廢废',
    '關关',
    '軌轨',
    '縊缢',
    '煙烟',
    '嗎吗',
    '讓让',
    '種种',
    '辦办',
    '強强',
    '撐撑',
    '誰谁',
    '訊讯',
    '於于',
    '幹干',
    '歡欢',
    '淚泪',
    '難难',
    '堅坚',
    '續续',
    '處处',
    '號号',
    '醫医',
    '現现',
    '裡里',
    '裏里',
    '喪丧',
  ].map((pair) => [pair[0]!, pair[1]!]),
);

const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff\u00ad]/g;
const HAN = '\\p{Script=Han}';
const SPACE_NEXT_TO_HAN = new RegExp(`(?<=${HAN}) | (?=${HAN})`, 'gu');

export function normaliseText(input: string): string {
  return input
    .normalize('NFKC')
    .toLowerCase()
    .replace(ZERO_WIDTH, '')
    .replace(/[\u2018\u2019\u02bc\u0060\u00b4]/g, "'")
    .replace(/\p{Script=Han}/gu, (ch) => TRADITIONAL[ch] ?? ch)
    .replace(/\s+/g, ' ')
    .replace(SPACE_NEXT_TO_HAN, '')
    .trim();
}
