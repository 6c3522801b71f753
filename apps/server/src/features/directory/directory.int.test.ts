import { DIRECTORY_SEARCH_MAX_LENGTH, type PractitionerType, type PublicDoctor } from '@anxin/contracts';
import { mayConsultOnline } from '@anxin/domain';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consentedPatient } from '../../../test/consultation-fixtures.js';
import { publishedDoctor } from '../../../test/directory-fixtures.js';
import { createTestApp, get, post, signIn, type TestApp } from '../../../test/harness.js';
import { practiceFor, qualificationFor, staffCookie } from '../../../test/onboarding-fixtures.js';
import { PolicyService } from '../../privacy/policy/policy.service.js';

let t: TestApp;
type Doctor = Awaited<ReturnType<typeof publishedDoctor>>;
let wang: Doctor;
let li: Doctor;
let zhang: Doctor;

beforeAll(async () => {
  t = await createTestApp();
  const reviewer = (await staffCookie(t, ['reviewer'])).cookie;
  wang = await publishedDoctor(t, reviewer, '701', '王明', {
    practitionerType: 'psychiatrist',
    title: '主任医师',
    hospital: '北京大学第六医院',
    department: '精神科',
    expertise: ['双相障碍', '强迫'],
  });
  li = await publishedDoctor(t, reviewer, '702', '李静', {
    practitionerType: 'psychotherapist',
    title: '主治医师',
    hospital: '上海市精神卫生中心',
    department: '心理治疗科',
    expertise: ['创伤', '家庭治疗'],
  });
  zhang = await publishedDoctor(t, reviewer, '703', '张悦', {
    practitionerType: 'counsellor',
    title: '二级心理咨询师',
    hospital: '安心心理咨询中心',
    department: '青少年咨询部',
    expertise: ['青少年', '学业压力', '正念_减压'],
  });
});
afterAll(async () => t?.close());

const search = async (query: string, cookie?: string) => {
  const res = await get(t, `/api/public/doctors?${query}`, cookie);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().doctors as PublicDoctor[]).map((d) => d.id).sort();
};
const q = (text: string) => search(`q=${encodeURIComponent(text)}`);
const ids = (...doctors: Doctor[]) => doctors.map((d) => d.id).sort();

describe('directory search (server side)', () => {
  it('ONB-5: a search matches expertise tags, title, hospital and department, not only names', async () => {
    expect(await q('双相')).toEqual(ids(wang)); // part of an expertise tag
    expect(await q('家庭治疗')).toEqual(ids(li)); // a whole tag
    expect(await q('主治医师')).toEqual(ids(li)); // title
    expect(await q('医师')).toEqual(ids(wang, li)); // part of two titles
    expect(await q('精神卫生中心')).toEqual(ids(li)); // hospital
    expect(await q('北京大学')).toEqual(ids(wang));
    expect(await q('青少年咨询部')).toEqual(ids(zhang)); // department
    expect(await q('心理')).toEqual(ids(li, zhang)); // department of one, hospital and title of the other
    expect(await q('王明')).toEqual(ids(wang)); // names still match
    // Every word must match, each anywhere; full-width spaces and commas separate words too.
    expect(await q('北京 强迫')).toEqual(ids(wang));
    expect(await q('上海，创伤')).toEqual(ids(li));
    expect(await q('北京　创伤')).toEqual([]);
    // Search and filters combine.
    expect(await search(`q=${encodeURIComponent('医师')}&type=psychotherapist`)).toEqual(ids(li));
    expect(await search(`expertise=${encodeURIComponent('青少年')}`)).toEqual(ids(zhang));
    expect(await search('')).toEqual(ids(wang, li, zhang));
  });

  it('ONB-5: % _ and \\ in a search are taken literally, never as wildcards', async () => {
    expect(await q('%')).toEqual([]);
    expect(await q('_')).toEqual(ids(zhang)); // only the tag that really has an underscore
    expect(await q('念_减')).toEqual(ids(zhang));
    expect(await q('念%减')).toEqual([]);
    expect(await q('精神_生')).toEqual([]); // would match 精神卫生 if _ were a wildcard
    expect(await q('\\')).toEqual([]);
    expect(await q('医\\师')).toEqual([]);
  });

  it('ONB-5: an overlong search gets a clear 400 in the visitor’s language, not a 500', async () => {
    const long = '焦'.repeat(DIRECTORY_SEARCH_MAX_LENGTH + 1);
    const res = await get(t, `/api/public/doctors?q=${encodeURIComponent(long)}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.message).toMatch(/[\u4e00-\u9fff]/);
    expect(await q('焦'.repeat(DIRECTORY_SEARCH_MAX_LENGTH))).toEqual([]);
  });
});

describe('public browsing', () => {
  const PUBLIC_KEYS = [
    'avatarUrl',
    'biography',
    'department',
    'expertise',
    'hospital',
    'id',
    'name',
    'practitionerType',
    'title',
    'verified',
    'verifiedAt',
  ];

  it('ONB-5: without a session the list, profiles and avatars answer with public fields only', async () => {
    const list = await get(t, '/api/public/doctors');
    expect(list.statusCode).toBe(200);
    const doctors = list.json().doctors as PublicDoctor[];
    expect(doctors).toHaveLength(3);
    for (const d of doctors) {
      expect(Object.keys(d).sort()).toEqual(PUBLIC_KEYS);
      expect(Object.keys(d.biography).sort()).toEqual(['academic', 'cases', 'education', 'practice']);
    }
    const profile = await get(t, `/api/public/doctors/${wang.id}`);
    expect(profile.statusCode).toBe(200);
    expect(Object.keys(profile.json()).sort()).toEqual(PUBLIC_KEYS);
    expect(profile.json()).toMatchObject({ name: '王明', title: '主任医师', hospital: '北京大学第六医院' });
    // What the application holds besides: ID and certificate numbers, contact details, staff number, birthday.
    for (const doctor of [wang, li, zhang]) {
      for (const secret of [
        doctor.idNumber,
        practiceFor(doctor.idNumber),
        qualificationFor(doctor.idNumber),
        '13912340000',
        'lin.anxin@example.com',
        'HX2010-088',
        '1979-03-04',
      ]) {
        expect(list.body).not.toContain(secret);
        expect((await get(t, `/api/public/doctors/${doctor.id}`)).body).not.toContain(secret);
      }
    }
    const avatar = await get(t, profile.json().avatarUrl);
    expect(avatar.statusCode).toBe(200);
    expect(avatar.headers['content-type']).toBe('image/jpeg');
  });

  it('ONB-5: starting a consultation still needs a session', async () => {
    const res = await post(t, '/api/consultations', { doctorId: wang.id, concern: '想复诊调整用药', isFollowUp: true });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('AUTH_REQUIRED');
  });
});

describe('first visits', () => {
  it('what the apps show (mayConsultOnline on the public practitioner type) is what the server enforces with its 409', async () => {
    const outcomes: string[] = [];
    for (const doctor of [wang, li, zhang]) {
      const type = (await get(t, `/api/public/doctors/${doctor.id}`)).json().practitionerType as PractitionerType;
      for (const isFollowUp of [true, false]) {
        const patient = await consentedPatient(t);
        const res = await post(
          t,
          '/api/consultations',
          { doctorId: doctor.id, concern: '最近睡不好，想咨询一下', isFollowUp },
          patient.cookie,
        );
        if (mayConsultOnline(type, isFollowUp)) expect(res.statusCode, res.body).toBe(200);
        else {
          expect(res.statusCode).toBe(409);
          expect(res.json().error.code).toBe('FIRST_VISIT_IN_PERSON');
        }
        outcomes.push(`${type}/${isFollowUp ? 'follow-up' : 'first'}: ${res.statusCode}`);
      }
    }
    // The rule itself: physicians see follow-ups only, counsellors first visits too.
    expect(outcomes).toEqual([
      'psychiatrist/follow-up: 200',
      'psychiatrist/first: 409',
      'psychotherapist/follow-up: 200',
      'psychotherapist/first: 409',
      'counsellor/follow-up: 200',
      'counsellor/first: 200',
    ]);
  });
});

// Last: it publishes a new policy version for the whole test database.
describe('public routes and policy acceptance', () => {
  it('ONB-5: a signed-in patient who still has to accept a new policy can browse the directory (and nothing else)', async () => {
    const { cookie } = await signIn(t, 'patient', undefined, { keepSignedIn: true });
    const next = new PolicyService({
      db: t.db,
      keys: t.app.services.keys,
      clock: t.clock,
      operator: { ...t.config.operator, hotline: '400-765-4321' },
    });
    expect((await next.ensurePublished()).published).toBe(true);
    t.clock.advance(8 * 86_400_000);
    expect((await get(t, '/api/me', cookie)).json().policy.needsAcceptance).toBe(true);
    expect((await get(t, '/api/me/sessions', cookie)).json().error.code).toBe('POLICY_ACCEPTANCE_REQUIRED');
    expect(await search(`q=${encodeURIComponent('精神科')}`, cookie)).toEqual(ids(wang));
    expect((await get(t, `/api/public/doctors/${li.id}`, cookie)).statusCode).toBe(200);
  });
});
