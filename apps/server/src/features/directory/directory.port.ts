import type { Queryable } from '../../db/database.js';
import { TABLE_OWNERS } from '../../privacy/inventory/owners.js';
import type {
  ErasureMode,
  ErasureStep,
  PersonalDataPort,
  Subject,
  SubjectExport,
} from '../../privacy/subject-data/ports.js';
import * as repo from './directory.repo.js';

/** The personal columns of doctor_profiles (privacy/inventory/inventory.ts). */
const COLUMNS = {
  doctor_profiles: ['user_id', 'name', 'avatar_blob_id', 'title', 'hospital', 'department', 'expertise', 'biography'],
} as const;

/**
 * The directory port (SEC-2): the doctor's published profile. It is public on purpose and stored in clear.
 *
 * No correct() here: the profile is published from the application, so a correction made only here would be
 * undone by the next approval and would differ from what the doctor sees in their application. Expertise and
 * biography, the fields ONB-6 lets a doctor change on a live profile, are corrected through the onboarding port,
 * which updates both; name, title, hospital and department are credentials that change only through a new review.
 */
export function createDirectoryPort(): PersonalDataPort {
  return {
    describe: () => ({ owner: TABLE_OWNERS.doctor_profiles, columns: COLUMNS }),

    async export(db: Queryable, subject: Subject): Promise<SubjectExport> {
      const row = await repo.profileRow(db, subject.userId);
      if (!row) return { data: {}, files: [] };
      return {
        data: {
          publicProfile: {
            name: row.name,
            title: row.title,
            hospital: row.hospital,
            department: row.department,
            practitionerType: row.practitioner_type,
            expertise: row.expertise,
            biography: row.biography,
            // The picture is the avatar photo of the application, exported (as a file) by the onboarding port.
            avatarPublished: row.avatar_blob_id !== null,
            verifiedAt: new Date(row.verified_at).toISOString(),
            updatedAt: new Date(row.updated_at).toISOString(),
          },
        },
        files: [],
      };
    },

    /**
     * Both modes delete the profile: a public profile cannot be anonymised, and the inventory keeps it for the
     * account's lifetime only. (Consultation lists inner-join this table for the doctor's name: after erasure they
     * no longer list that doctor's consultations. That is for the consultations owner to settle, not this port.)
     */
    async erase(db: Queryable, subject: Subject, _mode: ErasureMode): Promise<ErasureStep[]> {
      const rows = await repo.deleteProfile(db, subject.userId);
      return [{ table: 'doctor_profiles', action: 'deleted', rows }];
    },
  };
}
