/** What every migration has, whichever database it is for: the schema version it reaches and its file's name. */
export interface NumberedMigration {
  version: number;
  name: string;
}

/**
 * Migrations are numbered 1, 2, 3… in their list's order, with no gap: a list that is not is a build error, found
 * at start. Throws naming the first migration out of place.
 */
export function checkMigrationList(migrations: readonly NumberedMigration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`migration ${migration.name} has version ${migration.version}, expected ${index + 1}`);
    }
  });
}

/**
 * A database at a schema version above this build's newest migration was written by a newer build: it is refused
 * rather than guessed at. `database` names it in the error ("the database /path/file.sqlite").
 */
export function refuseNewerSchema(current: number, migrations: readonly NumberedMigration[], database: string): void {
  const latest = migrations.at(-1)?.version ?? 0;
  if (current > latest) throw new Error(`${database} is at schema version ${current}, newer than this build knows (${latest}); refusing to open it`);
}
