// A small argument parser: positionals, --flag, --key value and --key=value.
export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
}

export function parseArgs(argv: string[], valued: Set<string>): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const key = eq > 0 ? a.slice(2, eq) : a.slice(2);
      if (eq > 0) flags.set(key, a.slice(eq + 1));
      else if (valued.has(key)) {
        if (i + 1 >= argv.length) throw new UsageError(`--${key} needs a value`);
        flags.set(key, argv[++i]);
      } else flags.set(key, true);
    } else positionals.push(a);
  }
  return { positionals, flags };
}

export class UsageError extends Error {}

export type Flags = Map<string, string | true>;

/** A command's arguments: options valued or switches (and --json), anything else refused. */
export function parseCommand(argv: string[], valued: string[], switches: string[] = []): ParsedArgs {
  const r = parseArgs(argv, new Set(valued));
  const known = new Set([...valued, ...switches, 'json']);
  for (const k of r.flags.keys()) if (!known.has(k)) throw new UsageError(`unknown option --${k}`);
  return r;
}

/** A valued option's text, or undefined when not given. */
export const flagString = (f: Flags, k: string): string | undefined => (typeof f.get(k) === 'string' ? (f.get(k) as string) : undefined);
