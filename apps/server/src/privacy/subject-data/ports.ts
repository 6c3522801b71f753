import type { Readable } from 'node:stream';
import type { Queryable } from '../../db/database.js';
import { personalColumns } from '../inventory/inventory.js';
import { TABLE_OWNERS, type TableName } from '../inventory/owners.js';

/**
 * Personal-data ports (issue 10): the contract the data-subject rights engine uses. Every owner of a table with
 * personal columns implements one port and registers it in services.ts; privacy lists them and never imports a
 * feature. A port answers for the personal columns of its own tables only (see owners.ts).
 */

/** The person a right is exercised for: their account. */
export interface Subject {
  userId: string;
}

/**
 * `delete`: the person asked to be erased (or their account ends): remove or make unreadable everything the law
 * does not require us to keep. `anonymise`: keep rows others need (a conversation's other side, statistics) but
 * cut every link to the person. A port may keep data under a stated legal basis in either mode, and says so.
 */
export type ErasureMode = 'delete' | 'anonymise';

/** A file that belongs to the person (a photo, a voice note), opened only when the export is written. */
export interface ExportFile {
  /** Path inside the export, e.g. `consultations/<id>/3-full.jpg`. */
  name: string;
  contentType: string;
  open(): Promise<Readable | Buffer>;
}

/** Everything a port holds about the person: plain JSON (decrypted, with readable field names) and files. */
export interface SubjectExport {
  data: Record<string, unknown>;
  files: ExportFile[];
}

/** What erasure did to one table: rows deleted, anonymised, or kept, with the legal basis that keeps them. */
export interface ErasureStep {
  table: TableName;
  action: 'deleted' | 'anonymised' | 'kept';
  rows: number;
  /** Required when kept: why the law (or another person's right) requires keeping it, and for how long. */
  basis?: string;
}

export interface PersonalDataPort {
  /** The owner (as in owners.ts: its repository) and the personal columns it answers for, by table. */
  describe(): { owner: string; columns: Partial<Record<TableName, readonly string[]>> };
  /** Everything about the person, without other people's data. */
  export(db: Queryable, subject: Subject): Promise<SubjectExport>;
  /** Erases the person's data in the caller's transaction (the rights engine audits it in the same one). */
  erase(db: Queryable, subject: Subject, mode: ErasureMode): Promise<ErasureStep[]>;
  /** Fields the person may correct, where correction makes sense. */
  readonly correctable?: readonly string[];
  correct?(db: Queryable, subject: Subject, field: string, value: string): Promise<void>;
}

/** The ports, as registered by services.ts. */
export class PersonalDataRegistry {
  private readonly list: PersonalDataPort[] = [];

  register(port: PersonalDataPort): this {
    this.list.push(port);
    return this;
  }

  ports(): readonly PersonalDataPort[] {
    return this.list;
  }
}

/**
 * How the ports cover the inventory: personal columns no port answers for, columns two ports claim, ports that
 * claim a column the inventory does not call personal, and ports that claim a table their owner does not own.
 */
export function portCoverage(ports: readonly PersonalDataPort[]) {
  const claims = new Map<string, string[]>();
  const misowned: string[] = [];
  for (const port of ports) {
    const { owner, columns } = port.describe();
    for (const [table, cols] of Object.entries(columns) as [TableName, readonly string[]][]) {
      if (TABLE_OWNERS[table] !== owner) misowned.push(`${owner} → ${table}`);
      for (const col of cols) claims.set(`${table}.${col}`, [...(claims.get(`${table}.${col}`) ?? []), owner]);
    }
  }
  const personal = new Set(personalColumns().map((c) => `${c.table}.${c.column}`));
  return {
    uncovered: [...personal].filter((k) => !claims.has(k)).sort(),
    doubled: [...claims].filter(([, owners]) => owners.length > 1).map(([k]) => k),
    notPersonal: [...claims.keys()].filter((k) => !personal.has(k)).sort(),
    misowned,
  };
}
