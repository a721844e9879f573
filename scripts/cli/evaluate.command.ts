import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import type { Classifier, LabelledExample } from '../../src-shared/ai/classifier';
import { trainClassifier } from '../../src-shared/ai/classifier';
import { demoLeadHistory } from '../../src-shared/ai/demo-lead-history';
import { type Evaluation, evaluateClassifier, type TimedExample } from '../../src-shared/ai/evaluate';
import { trainLeadScorer } from '../../src-shared/ai/lead-scoring';
import { leadHistoryFromTable } from '../../src-shared/ai/table-lead-history';
import type { DemoSize } from '../../src-shared/demo/generate-demo-data';
import { parseArgs, UsageError } from './cli-error';
import { type CrmIo, processIo } from './crm-io';

export const evaluateUsage = `evaluate leads <file.csv> --outcome <column> [--train-share 0.7]
evaluate leads --demo small|100k
    Trains the lead-scoring model on the older rows and tests it on the newer ones (time order:
    the first date column, else the file's order). Columns are mapped onto lead fields as an import
    would; other numbers, yes/no flags and short lists of values become features. Prints AUC,
    Brier score against the base rate, calibration and the strongest factors.`;

const pct = (n: number) => `${(n * 100).toFixed(1)}%`;

export function formatEvaluation(
  title: string,
  e: Evaluation,
  columns?: readonly { header: string; use: string }[],
): string {
  const lines = [
    title,
    `  model basis: ${e.basis === 'prior' ? 'built-in prior (too few outcomes to learn from)' : 'trained on this history'}`,
    `  rows: ${e.trainSize} trained on, ${e.testSize} held out (newest); positive rate in the test set ${pct(e.testPositiveRate)}`,
    `  AUC:   ${e.auc.toFixed(3)}   (0.5 is chance, 1 is a perfect ranking)`,
    `  Brier: ${e.brier.toFixed(4)}   (base rate alone: ${e.brierBaseRate.toFixed(4)}; lower is better)`,
    `  calibration error: ${e.calibrationError.toFixed(3)}`,
    '  calibration (predicted → observed, rows):',
    ...e.calibration.map(
      (b) =>
        `    ${pct(b.from).padStart(6)}–${pct(b.to).padEnd(6)} ${pct(b.meanPredicted).padStart(6)} → ${pct(b.observedRate).padStart(6)}  (${b.count})`,
    ),
    '  strongest factors (standardised weight; + raises the odds):',
    ...e.topFactors.map((f) => `    ${f.effect >= 0 ? '+' : '−'}${Math.abs(f.effect).toFixed(2)}  ${f.label}`),
  ];
  if (columns) lines.push('  columns:', ...columns.map((c) => `    ${c.header}: ${c.use}`));
  if (e.auc < 0.6 || e.brier >= e.brierBaseRate) {
    lines.push('  note: weak signal — predictions from this history are barely better than the base rate.');
  }
  return `${lines.join('\n')}\n`;
}

function parseShare(text: string | undefined): number {
  if (text === undefined) return 0.7;
  const share = Number(text);
  if (!(share > 0 && share < 1)) throw new UsageError(`--train-share must be between 0 and 1, not "${text}"`);
  return share;
}

async function readCsv(path: string): Promise<{ rows: Record<string, string>[]; headers: string[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const parsed = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: true,
  });
  const headers = parsed.meta.fields ?? [];
  if (headers.length === 0) throw new Error(`${path} has no header row`);
  const fatal = parsed.errors.find((e) => e.type !== 'FieldMismatch');
  if (fatal) throw new Error(`${path} row ${(fatal.row ?? 0) + 2}: ${fatal.message}`);
  return { rows: parsed.data, headers };
}

export async function evaluateCommand(argv: readonly string[], io: CrmIo = processIo()): Promise<void> {
  const { positional, flags } = parseArgs(argv, ['outcome', 'train-share', 'demo']);
  const [what, file, ...rest] = positional;
  if (what !== 'leads') throw new UsageError(`evaluate what? only "leads" is known, not "${what ?? ''}"`);
  if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
  const share = parseShare(flags.get('train-share'));
  const demo = flags.get('demo');
  if (demo !== undefined) {
    if (demo !== 'small' && demo !== '100k') throw new UsageError(`--demo must be small or 100k, not "${demo}"`);
    const history = demoLeadHistory(demo as DemoSize);
    const evaluation = evaluateClassifier(history, (train) => trainLeadScorer(train), share);
    io.stdout.write(
      formatEvaluation(`Lead scoring on the generated ${demo} data set (${history.length} closed leads)`, evaluation),
    );
    return;
  }
  if (!file) throw new UsageError('evaluate leads needs a CSV file (or --demo small|100k)');
  const outcome = flags.get('outcome');
  if (!outcome)
    throw new UsageError(
      '--outcome <column> is required: the column that says converted (1/yes/won) or not (0/no/lost)',
    );
  const { rows, headers } = await readCsv(file);
  const table = leadHistoryFromTable(rows, headers, outcome);
  const positives = table.examples.filter((e) => e.label === 1).length;
  if (positives === 0 || positives === table.examples.length) {
    throw new Error(
      `the outcome column "${outcome}" has ${positives === 0 ? 'no positive' : 'no negative'} rows among ${table.examples.length} recognised ones (positive: 1/true/yes/won/converted; negative: 0/false/no/lost/unqualified)`,
    );
  }
  const train = (examples: readonly LabelledExample[]): Classifier =>
    trainClassifier(examples, table.specs, { minCategoryCount: 5, l2: 10 });
  const evaluation = evaluateClassifier(table.examples as TimedExample[], train, share);
  io.stdout.write(
    formatEvaluation(
      `Lead scoring on ${file} (${table.examples.length} rows with an outcome, ${table.skipped} without)`,
      evaluation,
      table.columns,
    ),
  );
}
