/**
 * V8 flags of the process that holds the local database and runs its replication: the Electron
 * renderer (src-main passes them as `--js-flags`), and the benchmark process that stands in for
 * that renderer (tests/bench/run.ts), so the benchmarks measure the device as it ships.
 *
 * `--max-semi-space-size=64` (MB; V8's default is 16 on 64-bit). An initial sync allocates about
 * 90 KB per record (the response's JSON, RxDB's copies, the envelope, the storage's clones of the
 * record and of its replication meta copy), nearly all of it dead within the batch. With the
 * default young generation the scavenger ran so often that GC was 30% of the pull's CPU (B4
 * profile, 20k contacts). Probe-b4, 20k contacts, 3 runs of each size alternating, medians:
 * 16 MB 4,845 ms, 32 MB 4,412, 64 MB 4,067, 128 MB 3,918; peak RSS 567, 532, 530 and 663 MB.
 * 64 is the knee: 16% faster at no more memory (fewer objects live long enough to be promoted).
 */
export const DEVICE_V8_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

/** The flags of `flags` whose name `given` (a `--js-flags` value) does not set already. */
export function missingV8Flags(given: string, flags: readonly string[] = DEVICE_V8_FLAGS): string[] {
  const nameOf = (flag: string) => flag.split('=')[0];
  const set = new Set(given.split(/\s+/).filter(Boolean).map(nameOf));
  return flags.filter((flag) => !set.has(nameOf(flag)));
}
