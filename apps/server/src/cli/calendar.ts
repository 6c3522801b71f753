import fs from 'node:fs';
import path from 'node:path';
import { parseYearNotice, workingDaysDue, yearsWithData, type YearNotice } from '@anxin/domain/calendar';
import { parseArgs } from './args.js';

/**
 * npm run -s calendar -- due YYYY-MM-DD [N] [--notice FILE.json]   the due date (ISO) of a request made that day:
 *                                                                  the Nth working day after it (default 5)
 * npm run -s calendar -- years [--notice FILE.json]                years with holiday data
 * The packaged calendar (State Council notices via chinese-days), plus a year's notice from FILE
 * ({ "year": 2027, "holidays": [...], "workdays": [...] }). Years added in the staff console live in the database
 * and are not read here; pass the same notice with --notice to check them. Exit 2 on bad input.
 */
const { flags, positional } = parseArgs(process.argv.slice(2));
const fail = (zh: string, en: string): never => {
  console.error(`${zh}\n${en}`);
  process.exit(2);
};
const usage = () =>
  fail(
    '用法：npm run -s calendar -- due YYYY-MM-DD [工作日数，默认 5] [--notice 文件.json] | years',
    'Usage: npm run -s calendar -- due YYYY-MM-DD [N, default 5] [--notice FILE.json] | years',
  );

const notices: YearNotice[] = [];
if (typeof flags.notice === 'string') {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path.resolve(flags.notice), 'utf8'));
  } catch (err) {
    fail(`无法读取节假日安排文件：${(err as Error).message}`, `Cannot read the notice file: ${(err as Error).message}`);
  }
  const parsed = parseYearNotice(raw);
  if (!parsed.ok) fail(`节假日安排有误：${parsed.message}`, `Invalid notice: ${parsed.message} (${parsed.code})`);
  else notices.push(parsed.notice);
}

const [command, date, n] = positional;
if (command === 'years') {
  console.log(yearsWithData(notices).join('\n'));
} else if (command === 'due' && date) {
  const days = n === undefined ? 5 : Number(n);
  if (!Number.isInteger(days) || days < 1 || days > 365)
    fail(`工作日数应为 1–365 的整数，收到“${n}”。`, `N must be a whole number from 1 to 365, got "${n}".`);
  try {
    const r = workingDaysDue(date, days, notices);
    console.log(r.due);
    if (r.provisional)
      console.error(
        `注意：${r.yearsWithoutData.join('、')} 年的节假日安排尚无数据，此日期为预估（只会提前不会推迟）；请用 --notice 提供该年安排，或在管理后台录入。\n` +
          `Note: no holiday data for ${r.yearsWithoutData.join(', ')}; this date is provisional (never later than the true one). Pass --notice or add the year in the staff console.`,
      );
  } catch (err) {
    fail(`日期有误：${(err as Error).message}`, `Invalid date: ${(err as Error).message}`);
  }
} else usage();
