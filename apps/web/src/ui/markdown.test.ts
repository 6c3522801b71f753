import { describe, expect, it } from 'vitest';
import { parseBlocks, parseInline, safeHref } from './markdown';

describe('parseBlocks', () => {
  it('reads headings, paragraphs and lists', () => {
    const blocks = parseBlocks('# 标题\n\n第一段\n继续\n\n- 甲\n- 乙\n  续行\n\n1. one\n2. two');
    expect(blocks).toEqual([
      { type: 'heading', level: 1, text: '标题' },
      { type: 'paragraph', text: '第一段继续' },
      { type: 'list', ordered: false, start: 1, items: ['甲', '乙 续行'] },
      { type: 'list', ordered: true, start: 1, items: ['one', 'two'] },
    ]);
  });

  it('joins Latin lines with a space', () => {
    expect(parseBlocks('first line\nsecond line')).toEqual([{ type: 'paragraph', text: 'first line second line' }]);
  });

  it('reads pipe tables, quotes and rules', () => {
    const blocks = parseBlocks('| a | b |\n|---|---|\n| 1 | 2 |\n\n> note\n\n---');
    expect(blocks).toEqual([
      { type: 'table', header: ['a', 'b'], rows: [['1', '2']] },
      { type: 'quote', text: 'note' },
      { type: 'rule' },
    ]);
  });
});

describe('parseInline', () => {
  it('reads bold, code and links', () => {
    expect(parseInline('**粗体**：`anxin_session` 见 [政策](https://example.cn/p)')).toEqual([
      { type: 'strong', children: [{ type: 'text', text: '粗体' }] },
      { type: 'text', text: '：' },
      { type: 'code', text: 'anxin_session' },
      { type: 'text', text: ' 见 ' },
      { type: 'link', href: 'https://example.cn/p', children: [{ type: 'text', text: '政策' }] },
    ]);
  });

  it('keeps HTML as text and drops unsafe links', () => {
    expect(parseInline('<script>x</script> [bad](javascript:alert(1))')).toEqual([
      { type: 'text', text: '<script>x</script> ' },
      { type: 'text', text: 'bad' },
      { type: 'text', text: ')' },
    ]);
  });
});

describe('safeHref', () => {
  it('allows web, mail, phone and same-site links only', () => {
    expect(safeHref('https://a.cn')).toBe('https://a.cn');
    expect(safeHref('mailto:x@a.cn')).toBe('mailto:x@a.cn');
    expect(safeHref('tel:4000000000')).toBe('tel:4000000000');
    expect(safeHref('/patient/')).toBe('/patient/');
    expect(safeHref('//evil.example')).toBeNull();
    expect(safeHref('javascript:alert(1)')).toBeNull();
    expect(safeHref('data:text/html,x')).toBeNull();
  });
});
