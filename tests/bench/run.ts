import { benchB1 } from './b1-bulk-write';
import { benchB2 } from './b2-list-query';

/** `npm run bench -- [ID...]`: one JSON line per result on stdout; progress on stderr. */
const BENCHES: Record<string, () => Promise<void>> = {
  B1: () => benchB1(),
  B2: () => benchB2(),
};

const asked = process.argv.slice(2).map((a) => a.toUpperCase());
const unknown = asked.filter((id) => !(id in BENCHES));
if (unknown.length > 0) {
  process.stderr.write(`Unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}\n`);
  process.exit(2);
}
for (const id of asked.length > 0 ? asked : Object.keys(BENCHES)) {
  process.stderr.write(`running ${id}…\n`);
  await BENCHES[id]?.();
}
process.exit(0);
