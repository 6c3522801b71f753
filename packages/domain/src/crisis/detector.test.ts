import { describe, expect, it } from 'vitest';
import shippedLexiconJson from './lexicon.json' with { type: 'json' };
import {
  BASE_LEXICON,
  createCrisisDetector,
  lexiconWithExtension,
  LexiconError,
  mergeLexicon,
  normaliseText,
  parseLexicon,
  parseLexiconExtension,
  type CrisisSeverity,
} from './index.js';

const detector = createCrisisDetector(BASE_LEXICON);

/** [phrase, expected severity, a rule id that must be among the hits] */
const POSITIVES: [string, CrisisSeverity, string][] = [
  // ideation (concern)
  ['我想死', 'concern', 'zh.ideation.want_to_die'],
  ['我真的好想死', 'concern', 'zh.ideation.want_to_die'],
  ['最近每天都想去死', 'concern', 'zh.ideation.want_to_die'],
  ['我受不了了想死', 'concern', 'zh.ideation.want_to_die'],
  ['我不知道为什么就是想死', 'concern', 'zh.ideation.want_to_die'],
  ['我不想活了', 'concern', 'zh.ideation.dont_want_to_live'],
  ['我再也不想活下去了', 'concern', 'zh.ideation.dont_want_to_live'],
  ['真的活不下去了', 'concern', 'zh.ideation.dont_want_to_live'],
  ['我活够了', 'concern', 'zh.ideation.dont_want_to_live'],
  ['我有自杀的念头', 'concern', 'zh.ideation.suicide'],
  ['昨晚又想到了轻生', 'concern', 'zh.ideation.suicide'],
  ['我怕自己一时想不开', 'concern', 'zh.ideation.suicide'],
  ['我想做傻事', 'concern', 'zh.ideation.suicide'],
  ['我想结束自己的生命', 'concern', 'zh.ideation.end_life'],
  ['想离开这个世界', 'concern', 'zh.ideation.end_life'],
  ['我想从这个世界上消失', 'concern', 'zh.ideation.end_life'],
  ['死了就解脱了', 'concern', 'zh.ideation.better_off_dead'],
  ['与其这样还不如死了算了', 'concern', 'zh.ideation.better_off_dead'],
  ['我是不是该去死', 'concern', 'zh.ideation.better_off_dead'],
  ['真希望自己早点死掉', 'concern', 'zh.ideation.better_off_dead'],
  ['我希望睡着了就再也不要醒来', 'concern', 'zh.ideation.better_off_dead'],
  // hopelessness (concern)
  ['活着没意思', 'concern', 'zh.hopeless.life_meaningless'],
  ['活着有什么意义', 'concern', 'zh.hopeless.life_meaningless'],
  ['活着好累', 'concern', 'zh.hopeless.life_meaningless'],
  ['我看不到任何希望', 'concern', 'zh.hopeless.no_way_out'],
  ['我真的撑不下去了', 'concern', 'zh.hopeless.no_way_out'],
  ['我就是个累赘', 'concern', 'zh.hopeless.burden'],
  ['没有我他们会过得更好', 'concern', 'zh.hopeless.burden'],
  // self-harm (concern)
  ['我又自残了', 'concern', 'zh.self_harm.words'],
  ['我忍不住想自残', 'concern', 'zh.self_harm.words'],
  ['我用刀片划手', 'concern', 'zh.self_harm.hurt_myself'],
  ['我昨天割了自己', 'concern', 'zh.self_harm.hurt_myself'],
  ['我总想伤害自己', 'concern', 'zh.self_harm.hurt_myself'],
  ['我会用头撞墙', 'concern', 'zh.self_harm.hurt_myself'],
  // acute: means, plan, timing, farewell, attempt
  ['我想跳楼', 'acute', 'zh.means.method'],
  ['我在想要不要割腕', 'acute', 'zh.means.method'],
  ['我想从阳台跳下去', 'acute', 'zh.means.jump_from'],
  ['我攒了很多安眠药', 'acute', 'zh.means.stockpile'],
  ['其实我把安眠药都攒好了，就等一个合适的时候', 'acute', 'zh.means.stockpile'],
  ['我把这段时间开的药全都攒起来了', 'acute', 'zh.means.stockpile'],
  ['我准备好了绳子', 'acute', 'zh.means.stockpile'],
  ['我查了怎么自杀', 'acute', 'zh.plan.how_to'],
  ['怎么死才不痛', 'acute', 'zh.plan.how_to'],
  ['我已经决定去死了', 'acute', 'zh.plan.decided'],
  ['我想好了怎么结束', 'acute', 'zh.plan.decided'],
  ['今晚就去死', 'acute', 'zh.timing.soon'],
  ['明天我就要结束这一切', 'acute', 'zh.timing.soon'],
  ['我写好了遗书', 'acute', 'zh.farewell'],
  ['后事都交代好了', 'acute', 'zh.farewell'],
  ['这是最后一次和你聊天了', 'acute', 'zh.farewell'],
  ['我已经吃了一整瓶安眠药', 'acute', 'zh.attempt.in_progress'],
  ['我刚割了手腕', 'acute', 'zh.attempt.in_progress'],
  ['我现在在天台上', 'acute', 'zh.attempt.in_progress'],
  // English
  ['I want to die', 'concern', 'en.ideation.want_to_die'],
  ['honestly i wish i was dead', 'concern', 'en.ideation.want_to_die'],
  ["I don't want to live anymore", 'concern', 'en.ideation.want_to_die'],
  ['I no longer want to be alive', 'concern', 'en.ideation.want_to_die'],
  ['I keep thinking about killing myself', 'concern', 'en.ideation.suicide'],
  ['I feel suicidal', 'concern', 'en.ideation.suicide'],
  ['there is nothing to live for', 'concern', 'en.hopeless.no_reason'],
  ['I cut myself last night', 'concern', 'en.self_harm'],
  ["I'm going to kill myself", 'acute', 'en.plan'],
  ['I wrote a suicide note', 'acute', 'en.plan'],
  ['I took all my pills', 'acute', 'en.attempt'],
  ['this is my last message', 'acute', 'en.farewell'],
  // normalisation: spaces, full width, traditional characters, zero-width characters
  ['我 想 死', 'concern', 'zh.ideation.want_to_die'],
  ['我好想自殺', 'concern', 'zh.ideation.suicide'],
  ['我想跳樓', 'acute', 'zh.means.method'],
  ['自\u200b杀', 'concern', 'zh.ideation.suicide'],
  ['ＷＡＮＴ　ＴＯ　ＤＩＥ', 'concern', 'en.ideation.want_to_die'],
  ['I don’t want to live', 'concern', 'en.ideation.want_to_die'],
  // a negated clause does not hide a risk phrase in the next one
  ['我不想死，但是活着好累', 'concern', 'zh.hopeless.life_meaningless'],
  ['我不会自杀的，只是真的不想活了', 'concern', 'zh.ideation.dont_want_to_live'],
  ['没有人懂我。我想死', 'concern', 'zh.ideation.want_to_die'],
];

/** Negations: the phrase contains a rule's words, but the clause says the opposite. */
const NEGATED: string[] = [
  '我不想死',
  '我一点都不想死',
  '没有想过自杀',
  '我从来没有想过要自杀',
  '我从没想过自杀',
  '我并不想自杀',
  '我不会自杀的，放心',
  '我绝对不会自杀',
  '不会伤害自己',
  '我不会再伤害自己了',
  '我没有自残过',
  '我已经不再自残了',
  '别做傻事',
  '我不觉得活着没意思',
  '我不打算自杀',
  '我不想跳楼',
  "I don't want to die",
  "I'm not suicidal",
  'I would never kill myself',
  "I haven't hurt myself in years",
  "I'm not going to kill myself",
  'I no longer want to die',
];

/** Third-party subjects: about someone else, not the writer. */
const THIRD_PARTY: string[] = ['他想自杀', '我朋友说她想死', '我们班有个同学自杀了', 'my friend wants to die'];

/** Near-misses: ordinary phrases that share characters or words with the lexicon. */
const NEAR_MISSES: string[] = [
  '想死你了',
  '想死我了，终于见面',
  '累死了',
  '笑死我了',
  '热死了',
  '这该死的天气',
  '真该死，又迟到了',
  '电脑死机了',
  '跳楼价大甩卖',
  '游乐园的跳楼机好刺激',
  '自杀率在下降',
  '今天参加了预防自杀的讲座',
  '我不想活动',
  '不想干活',
  '我每天早上都睡不醒',
  '我每天吃安眠药才能睡着',
  '医生开的药我买了',
  '打自己的脸',
  '项目撞墙了',
  '小时候从二楼跳下来摔断了腿',
  '决定死磕到底',
  '最近睡眠不好，想调整用药',
  '谢谢医生，我感觉好多了',
  'this traffic is killing me',
  "I'm dying to see the new film",
  'suicide prevention week starts today',
  'I would kill for a coffee',
  '',
];

describe('crisis detector', () => {
  it.each(POSITIVES)('CON-4: "%s" is a hit (%s, %s)', (phrase, severity, ruleId) => {
    const a = detector.assess(phrase);
    expect(a.severity).toBe(severity);
    expect(a.hits.map((h) => h.ruleId)).toContain(ruleId);
  });

  it.each(NEGATED)('CON-4: negated "%s" is not a hit', (phrase) => {
    const a = detector.assess(phrase);
    expect(a.hits).toEqual([]);
    expect(a.severity).toBeNull();
    expect(a.suppressed.map((s) => s.reason)).toContain('negated');
  });

  it.each(THIRD_PARTY)('CON-4: "%s" (about someone else) is not a hit', (phrase) => {
    const a = detector.assess(phrase);
    expect(a.hits).toEqual([]);
    expect(a.suppressed.map((s) => s.reason)).toContain('third_party');
  });

  it.each(NEAR_MISSES)('CON-4: near-miss "%s" is not a hit', (phrase) => {
    expect(detector.assess(phrase)).toMatchObject({ severity: null, hits: [] });
  });

  it('CON-4: 不想活 is itself a risk phrase, while 不想死 is a negation of one', () => {
    expect(detector.assess('我不想活了').severity).toBe('concern');
    expect(detector.assess('我不想死').severity).toBeNull();
    // Keeping medicine safe from a child is not stockpiling.
    expect(detector.assess('我把药都藏起来了，不让孩子拿到').severity).toBeNull();
    expect(detector.assess('我把药都存好了，按时吃').severity).toBeNull();
    // A negated risk phrase is a negation again: "it is not that I don't want to live".
    expect(detector.assess('我并不是不想活').severity).toBeNull();
  });

  it('CON-4: an A-not-A question (是不是, 有没有) is not a negation', () => {
    expect(detector.assess('我是不是该去死').severity).toBe('concern');
    expect(detector.assess('你问我有没有想过自杀').severity).toBe('concern');
  });

  it('CON-4: the most severe hit decides the severity, and every rule is listed once', () => {
    const a = detector.assess('我想死，想死，我已经攒了很多安眠药');
    expect(a.severity).toBe('acute');
    expect(a.hits.map((h) => h.ruleId)).toEqual(['zh.ideation.want_to_die', 'zh.means.stockpile']);
  });

  it('CON-4: a result carries rule ids and categories only, never the text', () => {
    const text = '我写好了遗书 CANARY-TEXT-7781';
    expect(JSON.stringify(detector.assess(text))).not.toContain('CANARY');
    expect(JSON.stringify(detector.assess(text))).not.toContain('遗书');
  });

  it('CON-4: a message of 4,000 characters full of negated phrases is assessed as negated, and a real signal next to it still counts', () => {
    // Cost stays linear: cues are looked for only in a short window before each match (see bench/ for timings).
    const negated = '不自杀'.repeat(1333);
    expect(detector.assess(negated)).toMatchObject({ severity: null, hits: [] });
    expect(detector.assess(`${'不自杀'.repeat(600)}。我写好了遗书`).severity).not.toBeNull();
    expect(detector.assess('今天又是普通的一天，工作很多，心情一般。'.repeat(200)).severity).toBeNull();
  });
});

describe('text normalisation', () => {
  it('CON-4: full width becomes half width, spaces next to Chinese go, traditional becomes simplified', () => {
    expect(normaliseText('ＩＡＭ　ｆｉｎｅ')).toBe('iam fine');
    expect(normaliseText(' 我  想\t死 ')).toBe('我想死');
    expect(normaliseText('自殺')).toBe('自杀');
    expect(normaliseText('I   don’t know')).toBe("i don't know");
    expect(normaliseText('我想kill myself')).toBe('我想kill myself');
  });
});

describe('lexicon file and operator extension', () => {
  it('CON-4: the maintained lexicon is valid, with unique ids and both languages', () => {
    expect(BASE_LEXICON.rules.length).toBeGreaterThan(20);
    expect(new Set(BASE_LEXICON.rules.map((r) => r.id)).size).toBe(BASE_LEXICON.rules.length);
    expect(BASE_LEXICON.rules.some((r) => r.lang === 'en')).toBe(true);
    for (const r of BASE_LEXICON.rules)
      expect(['plan', 'means', 'timing', 'farewell', 'attempt'].includes(r.category)).toBe(r.severity === 'acute');
  });

  it('CON-4: an extension adds rules and cues and can switch a base rule off', () => {
    const merged = lexiconWithExtension({
      rules: [
        { id: 'local.ideation.bye', lang: 'zh', category: 'ideation', severity: 'concern', terms: ['不想再醒'] },
        { id: 'zh.means.method', lang: 'zh', category: 'means', severity: 'acute', terms: ['跳崖'] },
      ],
      disable: ['zh.hopeless.burden'],
      cues: { zh: { negation: ['毫不'] } },
    });
    const d = createCrisisDetector(merged);
    expect(d.assess('真的不想再醒').hits.map((h) => h.ruleId)).toEqual(['local.ideation.bye']);
    expect(d.assess('我想跳崖').severity).toBe('acute');
    // The replaced rule no longer has its old terms; the disabled rule is gone.
    expect(d.assess('我想跳楼').severity).toBeNull();
    expect(d.assess('我就是个累赘').severity).toBeNull();
    expect(d.ruleCount).toBe(BASE_LEXICON.rules.length);
  });

  it('CON-4: a malformed extension fails with a message naming the file and the field', () => {
    const bad = (value: unknown) => () => lexiconWithExtension(value, '/etc/anxin/crisis.json');
    expect(bad([])).toThrow(/\/etc\/anxin\/crisis\.json: the file must hold a JSON object/);
    expect(bad({})).toThrow(/adds nothing/);
    expect(bad({ rules: [{ id: 'Bad Id', lang: 'zh', category: 'ideation', severity: 'concern' }] })).toThrow(
      /rules\[0\]\.id must be lower-case/,
    );
    expect(bad({ rules: [{ id: 'x.y', lang: 'zh', category: 'ideation', severity: 'high', terms: ['a'] }] })).toThrow(
      /rules\[0\] \(x\.y\)\.severity must be one of "acute", "concern", got "high"/,
    );
    expect(
      bad({ rules: [{ id: 'x.y', lang: 'fr', category: 'ideation', severity: 'concern', terms: ['a'] }] }),
    ).toThrow(/\.lang must be one of "zh", "en"/);
    expect(bad({ rules: [{ id: 'x.y', lang: 'zh', category: 'ideation', severity: 'concern' }] })).toThrow(
      /needs "terms" or "patterns"/,
    );
    expect(
      bad({ rules: [{ id: 'x.y', lang: 'zh', category: 'ideation', severity: 'concern', patterns: ['(unclosed'] }] }),
    ).toThrow(/patterns\[0\] is not a valid regular expression/);
    expect(
      bad({ rules: [{ id: 'x.y', lang: 'zh', category: 'ideation', severity: 'concern', terms: ['a'], typo: 1 }] }),
    ).toThrow(/\.typo is not a known field/);
    expect(bad({ disable: ['zh.no.such.rule'] })).toThrow(/not a rule of the base lexicon/);
    expect(bad({ cues: { zh: { negation: ['['] } } })).toThrow(/cues\.zh\.negation\[0\] is not a valid regular/);
    expect(bad({ rules: 'nope' })).toThrow(LexiconError);
    // A pattern that backtracks catastrophically would stall every patient message: refused at start.
    expect(
      bad({ rules: [{ id: 'x.y', lang: 'en', category: 'ideation', severity: 'concern', patterns: ['(a+)+$'] }] }),
    ).toThrow(/patterns\[0\] is too slow on long input/);
    expect(
      bad({ rules: [{ id: 'x.y', lang: 'zh', category: 'ideation', severity: 'concern', patterns: ['(我|我)*不$'] }] }),
    ).toThrow(/too slow/);
  });

  it('CON-4: the base file itself is checked the same way', () => {
    expect(() => parseLexicon({ version: 1, cues: {}, rules: [] })).toThrow(/cues needs "zh"/);
    expect(() => parseLexicon({ version: 0, cues: BASE_LEXICON.cues, rules: [] })).toThrow(/version must be/);
    const twice = { version: 1, cues: BASE_LEXICON.cues, rules: [BASE_LEXICON.rules[0], BASE_LEXICON.rules[0]] };
    expect(() => parseLexicon(twice)).toThrow(/twice/);
    expect(mergeLexicon(BASE_LEXICON, null)).toBe(BASE_LEXICON);
    expect(parseLexiconExtension({ disable: ['zh.farewell'] })).toEqual({ disable: ['zh.farewell'] });
  });

  it('CON-4: no shipped pattern backtracks catastrophically (probed here, so the server need not probe at start)', () => {
    expect(parseLexicon(shippedLexiconJson).rules).toEqual(BASE_LEXICON.rules);
  });
});
