import { UsageError } from './cli-error';

export interface CommandArgs {
  positional: string[];
  /** Last value of each value flag. */
  values: Map<string, string>;
  /** Every value of a repeatable flag, in order (`--where a=1 --where b=2`). */
  lists: Map<string, string[]>;
  /** Switches given (`--dry-run`). */
  switches: Set<string>;
}

export interface ArgSpec {
  readonly values?: readonly string[];
  readonly lists?: readonly string[];
  readonly switches?: readonly string[];
}

/**
 * cli-error's parseArgs plus switches (flags without a value) and repeatable flags, for the
 * import, export and report commands. An unknown flag is a UsageError naming the known ones.
 */
export function parseCommandArgs(argv: readonly string[], spec: ArgSpec): CommandArgs {
  const values = spec.values ?? [];
  const lists = spec.lists ?? [];
  const switches = spec.switches ?? [];
  const out: CommandArgs = { positional: [], values: new Map(), lists: new Map(), switches: new Set() };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (!arg.startsWith('--')) {
      out.positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (switches.includes(name)) {
      if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
      out.switches.add(name);
      continue;
    }
    if (!values.includes(name) && !lists.includes(name)) {
      const known = [...values, ...lists, ...switches].map((k) => `--${k}`).join(', ');
      throw new UsageError(`unknown option --${name} (known: ${known || 'none'})`);
    }
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new UsageError(`--${name} needs a value`);
    if (lists.includes(name)) out.lists.set(name, [...(out.lists.get(name) ?? []), value]);
    else out.values.set(name, value);
  }
  return out;
}
