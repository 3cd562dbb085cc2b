/**
 * What a reset will do, from what is stored and what the export holds: pure, no I/O. The original
 * SagaSync's reset was three manual steps (archive the Notion rows, drop and recreate the Books and
 * Series tables, import the Audible export and recompute series); here they are one command:
 *
 * 1. `notion`: move the pages SagaSync created to the Notion trash (restorable there), one by one,
 *    each page's mirror record deleted right after it, so a rerun picks up where it stopped. Pages
 *    adopted from the user's own tracker are released (forgotten), never trashed.
 * 2. `empty`: delete the owner's library records (`DELETED_KINDS`), titles last.
 * 3. `import`: import the export (idempotent: a rerun writes only what is missing).
 * 4. `series`: recompute the series from the titles' memberships.
 *
 * Every step is safe to repeat, so a reset that stopped anywhere finishes when run again.
 */

/** The deployment's one DynamoDB table of a stage (library and directory). */
export function libraryTableName(stage: string): string {
  return `SagaSync-${stage}-Library`;
}

/** The Secrets Manager secret holding SAGASYNC_SECRET for a stage, unless named otherwise. */
export function defaultSagaSyncSecretId(stage: string): string {
  return `sagasync/${stage}/secret`;
}

/** The Notion integration token's secret, unless named otherwise (as the original's NOTION_TOKEN_SECRET_NAME). */
export const DEFAULT_NOTION_SECRET_ID = 'notion/internal-token';

export const RESET_STEPS = ['notion', 'empty', 'import', 'series'] as const;
export type ResetStep = (typeof RESET_STEPS)[number];

export const STEP_TITLES: Record<ResetStep, string> = {
  notion: "archive SagaSync's Notion pages",
  empty: "empty the owner's library",
  import: 'import the export',
  series: 'recompute series',
};

/**
 * The owner's records a reset deletes, in the order it deletes them. Titles go last: until then
 * they (with the progress rows) name the ASINs whose baselines are still to delete, so a rerun
 * after a stop finds everything that is left.
 */
export const DELETED_KINDS = [
  'mirrorState',
  'statusCache',
  'seriesAliases',
  'links',
  'trackerBooks',
  'conflicts',
  'mirrorRecords',
  'series',
  'baselines',
  'history',
  'progress',
  'titles',
] as const;
export type DeletedKind = (typeof DELETED_KINDS)[number];

/** Each kind's name for one record and for several. */
export const KIND_LABELS: Record<DeletedKind, readonly [one: string, many: string]> = {
  mirrorState: ['Notion mirror marker (pull/push state)', 'Notion mirror markers (pull/push state)'],
  statusCache: ['cached series status', 'cached series statuses'],
  seriesAliases: ['series alias', 'series aliases'],
  links: ['tracker link', 'tracker links'],
  trackerBooks: ['tracker book', 'tracker books'],
  conflicts: ['match conflict', 'match conflicts'],
  mirrorRecords: ['Notion mirror record', 'Notion mirror records'],
  series: ['series', 'series'],
  baselines: ['progress baseline', 'progress baselines'],
  history: ['listening history entry', 'listening history entries'],
  progress: ['progress row', 'progress rows'],
  titles: ['title', 'titles'],
};

/** `n` records of `kind`, counted in words. */
export const countOf = (kind: DeletedKind, n: number): string => `${n.toLocaleString('en-US')} ${KIND_LABELS[kind][n === 1 ? 0 : 1]}`;

/**
 * The settings a reset deletes: the Notion mirror's run state (where a pull or push stands, and
 * the whole-table mirror settings of earlier versions). Every other setting is kept: the Notion
 * database ids (so the next push mirrors into the same databases), the series rules, the Audible
 * sync preferences and health, the Notion webhook connection, the Audible series catalogue cache.
 */
export const RESET_SETTING_KEYS: readonly string[] = ['notion.pull', 'notion.push', 'notion.mirror.books', 'notion.mirror.series'];

export const isResetSetting = (key: string): boolean => RESET_SETTING_KEYS.includes(key);

/** What a reset keeps, as the help text and the plan say it. */
export const KEPT_DESCRIPTION = [
  'the user and everything else in the directory (API tokens, Audible accounts, sync schedule)',
  'stored credentials (sealed Audible sign-ins, the Notion webhook verification token)',
  'settings: the Notion database ids (the next push mirrors into the same databases), series rules, Audible sync preferences',
  'match decisions a person made (applied again on the next match or push)',
  'the sync-run log (the reset adds its import run to it)',
] as const;

/** What is stored for the owner now, read (only) before a reset. */
export interface OwnerInventory {
  /** Records of each kind the reset deletes; null where counting would cost a read per title. */
  deletes: Record<DeletedKind, number | null>;
  keeps: { settings: string[]; credentials: number; decisions: number; syncRuns: number };
}

/** The Notion step as `resetNotion`'s dry run sees it (from the store alone, no Notion request). */
export interface NotionInventory {
  /** Notion databases are set up for the owner. */
  configured: boolean;
  trashed: { books: number; series: number };
  /** Pages adopted from the user's own tracker: forgotten, not trashed. */
  released: number;
}

/** The export, parsed before anything is changed. */
export interface ExportSummary {
  file: string;
  formatLabel: string;
  rows: number;
  titles: number;
  series: number;
  progress: number;
  invalidRows: number;
}

export interface ResetTarget {
  stage: string;
  table: string;
  region: string | null;
  user: { id: string; name: string };
}

export interface PlannedStep {
  step: ResetStep;
  title: string;
  /** What the step will do, in one line. */
  action: string;
  skipped: boolean;
}

export interface ResetPlan {
  target: ResetTarget;
  steps: PlannedStep[];
  /** Lines saying what is kept. */
  keeps: string[];
  /** Reasons the reset cannot run; empty when it can. */
  blockers: string[];
}

/** Kept settings named in the plan; a cache (the Audible series catalogue) may hold hundreds more. */
const SETTINGS_SHOWN = 5;

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

export function planReset(input: {
  target: ResetTarget;
  inventory: OwnerInventory;
  notion: NotionInventory;
  export: ExportSummary;
  /** A Notion token was found (only read when Notion is set up). */
  notionToken: boolean;
  /** Where the token comes from, for the blocker's message. */
  notionSecretId: string;
}): ResetPlan {
  const { inventory, notion } = input;
  const exported = input.export;
  const blockers: string[] = [];
  if (notion.configured && !input.notionToken) {
    blockers.push(`the library is mirrored into Notion, but the Notion token secret "${input.notionSecretId}" does not exist or is empty`);
  }
  if (exported.titles === 0) blockers.push(`${exported.file} holds no titles: a reset would leave the library empty`);

  const pages = notion.trashed.books + notion.trashed.series;
  const notionAction = !notion.configured
    ? 'skipped: no Notion databases are set up for this user'
    : `move ${plural(notion.trashed.books, 'book page')} and ${plural(notion.trashed.series, 'series page')} to the Notion trash` +
      (notion.released > 0 ? `; stop mirroring ${plural(notion.released, 'page')} of the user's own (left in place)` : '') +
      (pages === 0 && notion.released === 0 ? ' (nothing to archive)' : '');

  // With Notion set up, the mirror records go with their pages in step 1.
  const inEmpty = (kind: DeletedKind) => kind !== 'baselines' && !(kind === 'mirrorRecords' && notion.configured);
  const counted = DELETED_KINDS.filter((kind) => inEmpty(kind) && (inventory.deletes[kind] ?? 0) > 0).map((kind) => countOf(kind, inventory.deletes[kind] ?? 0));
  const emptyAction = counted.length === 0 ? 'delete what is left of the library (nothing is stored now)' : `delete ${counted.join(', ')}, and the titles' progress baselines`;

  const importAction =
    `${exported.file} (${exported.formatLabel}, ${plural(exported.rows, 'row')}): ` +
    `${plural(exported.titles, 'title')}, ${plural(exported.series, 'series', 'series')}, ${plural(exported.progress, 'progress row')}` +
    (exported.invalidRows > 0 ? `; ${plural(exported.invalidRows, 'invalid row')} left out` : '');

  const steps: PlannedStep[] = [
    { step: 'notion', title: STEP_TITLES.notion, action: notionAction, skipped: !notion.configured },
    { step: 'empty', title: STEP_TITLES.empty, action: emptyAction, skipped: false },
    { step: 'import', title: STEP_TITLES.import, action: importAction, skipped: false },
    { step: 'series', title: STEP_TITLES.series, action: 'rebuild every series from the imported titles', skipped: false },
  ];

  const settings = inventory.keeps.settings;
  const keeps = [
    `${plural(settings.length, 'setting')}${settings.length > 0 ? ` (${settings.slice(0, SETTINGS_SHOWN).join(', ')}${settings.length > SETTINGS_SHOWN ? `, and ${settings.length - SETTINGS_SHOWN} more` : ''})` : ''}`,
    plural(inventory.keeps.credentials, 'stored credential'),
    plural(inventory.keeps.decisions, 'match decision'),
    `the sync-run log (${plural(inventory.keeps.syncRuns, 'run')})`,
    'the user, API tokens, Audible accounts and schedule in the directory',
  ];
  return { target: input.target, steps, keeps, blockers };
}

/** The plan as the command prints it. */
export function describePlan(plan: ResetPlan): string[] {
  const { target } = plan;
  const lines = [
    `Reset of user "${target.user.name}" (${target.user.id}) on stage ${target.stage}: table ${target.table}${target.region ? ` in ${target.region}` : ''}`,
    ...plan.steps.map((s, i) => `  ${i + 1}. ${s.title}: ${s.action}`),
    `  Kept: ${plan.keeps.join('; ')}.`,
  ];
  for (const blocker of plan.blockers) lines.push(`  Cannot reset: ${blocker}.`);
  return lines;
}

/** What a finished reset did. */
export interface ResetSummary {
  notion: { skipped: boolean; trashed: { books: number; series: number }; released: number; requests: number };
  deleted: Record<DeletedKind, number>;
  imported: {
    runId: string | null;
    titles: { created: number; updated: number; unchanged: number };
    series: { created: number; updated: number; unchanged: number };
    progress: { created: number; updated: number; unchanged: number };
  };
  series: { created: number; updated: number; removed: number; total: number };
  elapsedMs: number;
}

export function describeSummary(summary: ResetSummary): string[] {
  const { notion, deleted, imported, series } = summary;
  const removed = DELETED_KINDS.filter((kind) => deleted[kind] > 0).map((kind) => countOf(kind, deleted[kind]));
  return [
    notion.skipped
      ? 'Notion: skipped (no databases set up).'
      : `Notion: moved ${plural(notion.trashed.books, 'book page')} and ${plural(notion.trashed.series, 'series page')} to the trash` +
        `${notion.released > 0 ? `, released ${plural(notion.released, 'page')} of the user's own` : ''} (${plural(notion.requests, 'request')}).`,
    `Emptied: ${removed.length > 0 ? removed.join(', ') : 'nothing was left to delete'}.`,
    `Imported: ${plural(imported.titles.created, 'title')} created, ${imported.titles.updated} updated, ${imported.titles.unchanged} unchanged; ` +
      `${plural(imported.progress.created + imported.progress.updated, 'progress row')} written.`,
    `Series: ${series.total} in all (${series.created} created, ${series.updated} updated, ${series.removed} removed).`,
    `Done in ${(summary.elapsedMs / 1000).toFixed(1)} s.${notion.skipped ? '' : ' The next Notion push mirrors the new library into the same databases.'}`,
  ];
}
