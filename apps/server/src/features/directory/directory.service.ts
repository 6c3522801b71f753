import type { PublicDoctor } from '@anxin/contracts';
import type { Db } from '../../db/database.js';
import type { DoctorProfilesTable } from '../../db/schema.js';
import type { Selectable } from 'kysely';
import { AppError } from '../../platform/errors.js';
import type { PhotoStore } from '../onboarding/photo.store.js';

/**
 * The public face of approved doctors (ONB-5). It reads only the doctor_profiles table, which holds only public
 * fields, and maps them through an explicit allow-list: nothing else can leave through this door.
 */
export class DirectoryService {
  constructor(private readonly deps: { db: Db; photos: PhotoStore }) {}

  private toPublic(row: Selectable<DoctorProfilesTable>): PublicDoctor {
    const bio = row.biography as Record<string, string | null>;
    return {
      id: row.user_id,
      name: row.name,
      avatarUrl: row.avatar_blob_id ? `/api/public/doctors/${row.user_id}/avatar` : null,
      title: row.title,
      hospital: row.hospital,
      department: row.department,
      practitionerType: row.practitioner_type,
      expertise: row.expertise,
      biography: {
        education: bio.education ?? null,
        practice: bio.practice ?? null,
        academic: bio.academic ?? null,
        cases: bio.cases ?? null,
      },
      verified: true,
      verifiedAt: new Date(row.verified_at).toISOString(),
    };
  }

  async list(filter: {
    q?: string;
    expertise?: string;
    type?: PublicDoctor['practitionerType'];
  }): Promise<PublicDoctor[]> {
    let query = this.deps.db
      .selectFrom('doctor_profiles')
      .innerJoin('users', 'users.id', 'doctor_profiles.user_id')
      .selectAll('doctor_profiles')
      .where('users.status', '=', 'active');
    if (filter.q)
      query = query.where('doctor_profiles.name', 'ilike', `%${filter.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
    if (filter.type) query = query.where('doctor_profiles.practitioner_type', '=', filter.type);
    if (filter.expertise)
      query = query.where((eb) => eb(eb.val(filter.expertise!), '=', eb.fn.any('doctor_profiles.expertise')));
    const rows = await query.orderBy('doctor_profiles.verified_at', 'desc').limit(200).execute();
    return rows.map((r) => this.toPublic(r));
  }

  async get(id: string): Promise<PublicDoctor> {
    const row = await this.deps.db
      .selectFrom('doctor_profiles')
      .innerJoin('users', 'users.id', 'doctor_profiles.user_id')
      .selectAll('doctor_profiles')
      .where('doctor_profiles.user_id', '=', id)
      .where('users.status', '=', 'active')
      .executeTakeFirst();
    if (!row) throw new AppError('DOCTOR_NOT_FOUND');
    return this.toPublic(row);
  }

  async avatar(id: string) {
    const row = await this.deps.db
      .selectFrom('doctor_profiles')
      .innerJoin('users', 'users.id', 'doctor_profiles.user_id')
      .select('doctor_profiles.avatar_blob_id')
      .where('doctor_profiles.user_id', '=', id)
      .where('users.status', '=', 'active')
      .executeTakeFirst();
    if (!row?.avatar_blob_id) throw new AppError('DOCTOR_NOT_FOUND');
    return this.deps.photos.read(this.deps.db, row.avatar_blob_id, 'thumb');
  }
}
