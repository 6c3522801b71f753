import type { PractitionerType, PublicDoctor } from '@anxin/contracts';
import { directorySearchTerms } from '@anxin/domain';
import type { Db } from '../../db/database.js';
import type { DoctorProfilesTable } from '../../db/schema.js';
import type { Selectable } from 'kysely';
import { AppError } from '../../platform/errors.js';
import type { PhotoStore } from '../onboarding/photo.store.js';
import * as repo from './directory.repo.js';

/**
 * The public face of approved doctors (ONB-5). It reads only the doctor_profiles table, which holds only public
 * fields, and maps them through an explicit allow-list: nothing else can leave through this door.
 */
export class DirectoryService {
  constructor(private readonly deps: { db: Db; photos: PhotoStore }) {}

  /** An approved doctor whose account is active (id and kind of practice), for a new consultation. */
  readonly findActive = (doctorId: string) => repo.findActiveDoctor(this.deps.db, doctorId);

  /** The doctor's published name and kind of practice, for a consultation's detail. */
  readonly nameAndType = (doctorId: string) => repo.nameAndType(this.deps.db, doctorId);

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

  /** `q` is what the visitor typed: split into words (see directorySearchTerms), each of which must match. */
  async list(filter: { q?: string; expertise?: string; type?: PractitionerType }): Promise<PublicDoctor[]> {
    const rows = await repo.listPublic(this.deps.db, {
      terms: directorySearchTerms(filter.q),
      type: filter.type,
      expertise: filter.expertise?.trim() || undefined,
    });
    return rows.map((r) => this.toPublic(r));
  }

  async get(id: string): Promise<PublicDoctor> {
    const row = await repo.findPublic(this.deps.db, id);
    if (!row) throw new AppError('DOCTOR_NOT_FOUND');
    return this.toPublic(row);
  }

  async avatar(id: string) {
    const row = await repo.findAvatarBlob(this.deps.db, id);
    if (!row?.avatar_blob_id) throw new AppError('DOCTOR_NOT_FOUND');
    return this.deps.photos.read(this.deps.db, row.avatar_blob_id, 'thumb');
  }
}
