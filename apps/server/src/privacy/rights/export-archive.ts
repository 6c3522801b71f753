import crypto from 'node:crypto';
import fs from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import type { Queryable } from '../../db/database.js';
import type { PersonalDataPort, Subject } from '../subject-data/ports.js';

/**
 * RIG-1: the person's copy of their data, as a ZIP written as a stream (yazl) straight into an AES-256-GCM cipher
 * and a file: never the whole archive in memory, never in clear on disk. One folder per feature with data.json,
 * a CSV beside it for every list of flat records, the person's own files (photos, voice notes) decrypted, and a
 * README in Chinese and English saying what each file is.
 */

/** The archive's own key, IV and GCM tag: sealed under the person's key by the caller. */
export interface ArchiveKey {
  key: Buffer;
  iv: Buffer;
  tag: Buffer;
}

const FOLDERS: Record<string, { name: string; zh: string; en: string }> = {
  identity: { name: 'account', zh: '账号、登录会话与验证码记录', en: 'Account, sign-in sessions and sign-in codes' },
  consultations: {
    name: 'consultations',
    zh: '问诊记录：您发出的消息、图片和语音，以及理解对话所需的对方消息（对方仅以角色和代号出现）',
    en: 'Consultations: your messages, photos and voice notes, and what is needed to follow them (the other side appears by role and pseudonym only)',
  },
  calls: {
    name: 'calls',
    zh: '语音和视频通话记录（时间、时长，不含通话内容）',
    en: 'Voice and video calls (times, durations; never content)',
  },
  crisis: { name: 'crisis', zh: '心理危机提示与处理记录', en: 'Crisis alerts and how they were handled' },
  onboarding: {
    name: 'onboarding',
    zh: '医生入驻申请、证件照片与审核记录',
    en: 'Doctor application, document photos and review',
  },
  directory: { name: 'public-profile', zh: '公开的医生主页', en: 'Public doctor profile' },
  notices: { name: 'notices', zh: '站内通知', en: 'In-app notices' },
  push: {
    name: 'push',
    zh: '开启通知的设备与通知设置',
    en: 'Devices with notifications on, and notification settings',
  },
  policy: { name: 'consents', zh: '隐私政策与单独同意的记录', en: 'Policy and separate consents' },
  audit: { name: 'audit-log', zh: '与您有关的操作审计记录', en: 'Audit records about you' },
  'key-store': {
    name: 'encryption-key',
    zh: '您的数据加密密钥的版本信息（不含密钥本身）',
    en: 'Versions of your encryption key (never the key)',
  },
  rights: { name: 'data-requests', zh: '您提出的个人信息权利请求', en: 'Your data-rights requests' },
};

/** 'features/identity/identity.repo.ts' → 'identity'. */
export function portKey(owner: string): string {
  return (owner.split('/').pop() ?? owner).replace(/\.repo\.ts$/, '');
}

function folderOf(owner: string, index: number) {
  const key = portKey(owner);
  const spec = FOLDERS[key] ?? { name: key, zh: key, en: key };
  return { ...spec, dir: `${String(index + 1).padStart(2, '0')}-${spec.name}` };
}

const flat = (v: unknown) => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** A CSV for a list of records whose values are all plain (RFC 4180 quoting, UTF-8 with BOM for spreadsheets). */
export function toCsv(rows: Array<Record<string, unknown>>): string | null {
  if (rows.length === 0 || !rows.every((r) => r && typeof r === 'object' && !Array.isArray(r))) return null;
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  if (!rows.every((r) => columns.every((c) => r[c] === undefined || flat(r[c])))) return null;
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    // A leading = + - @ would be run as a formula by spreadsheet software.
    const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
    return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
  };
  return (
    '\uFEFF' + [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\r\n') + '\r\n'
  );
}

function readme(sections: Array<{ dir: string; zh: string; en: string; csv: string[] }>, madeAt: string): string {
  const zh = sections.map((s) => `- ${s.dir}/data.json：${s.zh}${s.csv.length ? `（表格：${s.csv.join('、')}）` : ''}`);
  const en = sections.map(
    (s) => `- ${s.dir}/data.json: ${s.en}${s.csv.length ? ` (tables: ${s.csv.join(', ')})` : ''}`,
  );
  return [
    '# 安心 · 您的个人信息副本',
    '',
    `生成时间：${madeAt}`,
    '',
    '这是我们保存的关于您的全部个人信息。每个文件夹对应一项功能：data.json 是完整内容，同名 .csv 可用表格软件打开；',
    'files/ 中是您本人上传的图片和语音（已解密）。问诊中的对方只以角色和代号出现，不包含对方的个人信息。',
    '请妥善保管本文件，它包含健康相关的敏感信息。',
    '',
    ...zh,
    '',
    '# Anxin · Your copy of your data',
    '',
    `Made at: ${madeAt}`,
    '',
    'Everything we hold about you. One folder per feature: data.json has it all, a .csv of the same name opens in a',
    'spreadsheet; files/ holds the photos and voice notes you uploaded (decrypted). The other side of a consultation',
    'appears only by role and pseudonym, never with their own data. Keep this file safe: it holds health data.',
    '',
    ...en,
    '',
  ].join('\n');
}

/**
 * Writes the archive for `subject` to `file`, encrypted. `progress` gets 0–100 as ports are read. Returns the key
 * material and the file size. On failure the partial file is removed.
 */
export async function writeExportArchive(opts: {
  db: Queryable;
  subject: Subject;
  ports: readonly PersonalDataPort[];
  file: string;
  madeAt: Date;
  progress: (percent: number) => Promise<void>;
}): Promise<ArchiveKey & { size: number }> {
  const key = crypto.randomBytes(32);
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  const zip = new yazl.ZipFile();
  const out = fs.createWriteStream(opts.file, { mode: 0o600 });
  const written = pipeline(zip.outputStream, cipher, out);
  const mtime = opts.madeAt;
  const sections: Array<{ dir: string; zh: string; en: string; csv: string[] }> = [];
  try {
    for (const [i, port] of opts.ports.entries()) {
      const folder = folderOf(port.describe().owner, i);
      const { data, files } = await port.export(opts.db, opts.subject);
      if (Object.keys(data).length === 0 && files.length === 0) continue;
      zip.addBuffer(Buffer.from(JSON.stringify(data, null, 2) + '\n', 'utf8'), `${folder.dir}/data.json`, { mtime });
      const csv: string[] = [];
      for (const [name, value] of Object.entries(data)) {
        if (!Array.isArray(value)) continue;
        const text = toCsv(value as Array<Record<string, unknown>>);
        if (text === null) continue;
        zip.addBuffer(Buffer.from(text, 'utf8'), `${folder.dir}/${name}.csv`, { mtime });
        csv.push(`${name}.csv`);
      }
      for (const f of files) {
        const body = await f.open();
        // Each file goes in as it is read: yazl pulls the stream when it reaches the entry.
        if (Buffer.isBuffer(body)) zip.addBuffer(body, `files/${f.name}`, { mtime, compress: false });
        else zip.addReadStream(body.pipe(new PassThrough()), `files/${f.name}`, { mtime, compress: false });
      }
      sections.push({ ...folder, csv });
      await opts.progress(Math.min(95, Math.round(((i + 1) / opts.ports.length) * 95)));
    }
    zip.addReadStream(Readable.from([readme(sections, opts.madeAt.toISOString())]), 'README.txt', { mtime });
    zip.end();
    await written;
  } catch (err) {
    (zip.outputStream as unknown as Readable).destroy();
    await written.catch(() => undefined);
    fs.rmSync(opts.file, { force: true });
    throw err;
  }
  return { key, iv, tag: cipher.getAuthTag(), size: fs.statSync(opts.file).size };
}

/** The decrypted archive as a stream (the GCM tag is checked at its end: a changed file fails the download). */
export function readExportArchive(file: string, k: ArchiveKey): Readable {
  const decipher = crypto.createDecipheriv('aes-256-gcm', k.key, k.iv);
  decipher.setAuthTag(k.tag);
  return fs.createReadStream(file).pipe(decipher);
}

export function packArchiveKey(k: ArchiveKey): Buffer {
  return Buffer.concat([k.key, k.iv, k.tag]);
}

export function unpackArchiveKey(b: Buffer): ArchiveKey {
  return { key: b.subarray(0, 32), iv: b.subarray(32, 44), tag: b.subarray(44, 60) };
}
