import fs from 'node:fs';
import path from 'node:path';
import { parseYearNotice, workingDaysDue, yearsWithData, type YearNotice } from '@anxin/domain/calendar';
import { parseArgs } from './args.js';

/**
 * npm run -s calendar -- due YYYY-MM-DD [N] [--notice FILE.json]   the due date (ISO) of a request made that day:
 *                                                                  the Nth working day after it (default 5)
 * npm run -s calendar -- years [--notice FILE.json]                years with holiday data
 * The packaged calendar (State Council notices via chinese-days), plus a year's notice from FILE
 * ({ "year": 2027, "holidays": [...], "workdays": [...], "source": "..." }). Years added in the staff console live
 * in the database and are not read here; pass the same notice with --notice to check them.
 * stdout carries only the answer; warnings and errors go to stderr. Exit 2 on bad input.
 */
const { flags, positional } = parseArgs(process.argv.slice(2));
const fail = (zh: string, en: string): never => {
  console.error(`${zh}\n${en}`);
  process.exit(2);
};
const usage = (): never =>
  fail(
    '用法：npm run -s calendar -- due YYYY-MM-DD [工作日数，默认 5] [--notice 文件.json] | years [--notice 文件.json]',
    'Usage: npm run -s calendar -- due YYYY-MM-DD [N, default 5] [--notice FILE.json] | years [--notice FILE.json]',
  );

const unknownFlag = Object.keys(flags).find((f) => f !== 'notice');
if (unknownFlag !== undefined) fail(`未知选项：--${unknownFlag}`, `Unknown option: --${unknownFlag}`);
if (flags.notice === true)
  fail('--notice 后面需要一个 JSON 文件路径。', '--notice needs the path of a JSON file after it.');

const notices: YearNotice[] = [];
if (typeof flags.notice === 'string') {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path.resolve(flags.notice), 'utf8'));
  } catch (err) {
    fail(
      `无法读取节假日安排文件 ${flags.notice}：${(err as Error).message}`,
      `Cannot read the notice file ${flags.notice}: ${(err as Error).message}`,
    );
  }
  const parsed = parseYearNotice(raw);
  if (!parsed.ok)
    fail(`节假日安排有误（${parsed.code}）：${parsed.message}`, `Invalid notice (${parsed.code}): ${parsed.message}`);
  else notices.push(parsed.notice);
}

const [command, date, n, ...extra] = positional;
if (extra.length > 0) usage();
if (command === 'years' && date === undefined) {
  console.log(yearsWithData(notices).join('\n'));
} else if (command === 'due' && date !== undefined) {
  const days = n === undefined ? 5 : /^\d+$/.test(n) ? Number(n) : NaN;
  if (!Number.isInteger(days) || days < 1 || days > 365)
    fail(`工作日数应为 1–365 的整数，收到“${n}”。`, `N must be a whole number from 1 to 365, got "${n}".`);
  const r = (() => {
    try {
      return workingDaysDue(date, days, notices);
    } catch (err) {
      if (!(err instanceof RangeError)) throw err;
      return fail(`日期有误（应为真实存在的 YYYY-MM-DD 日期）：“${date}”`, `Invalid date: ${err.message}`);
    }
  })();
  console.log(r.due);
  if (r.provisional) {
    const years = r.yearsWithoutData;
    console.error(
      `注意：${years.join('、')} 年的节假日安排尚无数据，此日期为预估（只会提前、不会晚于真实日期）。` +
        `请用 --notice 文件.json 提供该年国务院通知（{"year":${years[0]},"holidays":[...],"workdays":[...]}），或在管理后台录入。\n` +
        `Note: no holiday data for ${years.join(', ')}; this date is provisional (never later than the true one). ` +
        `Pass that year's State Council notice with --notice FILE.json ({"year":${years[0]},"holidays":[...],"workdays":[...]}) or add it in the staff console.`,
    );
  }
} else usage();
