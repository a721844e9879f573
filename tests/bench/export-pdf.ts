import { runExportBench } from './bench-export-support';

export const benchId = 'EXPORT-pdf';

/** 100k contacts to PDF through the main process's writer vs the library alone (see bench-export-support.ts). */
export async function run(): Promise<void> {
  await runExportBench('pdf');
}
