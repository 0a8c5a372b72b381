// mlw's arguments, parsed by Node's util.parseArgs (strict: an unknown option is a usage error):
// positionals, switches, and valued options as --key value or --key=value. A value that starts
// with a dash (--seed -1) is taken as the value, as mlw always took it; util.parseArgs would call
// it ambiguous, so such a pair is joined into --key=value first.
import { parseArgs as parseNodeArgs } from 'node:util';

export interface ParsedArgs {
  positionals: string[];
  flags: Map<string, string | true>;
  /** The options that may be given more than once (--model A=… --model B=…), each value in order. */
  lists: Map<string, string[]>;
}

export class UsageError extends Error {}

export type Flags = Map<string, string | true>;

/** A command's arguments: options valued, repeatable or switches (and --json), anything else refused. */
export function parseCommand(argv: string[], valued: string[], switches: string[] = [], repeatable: string[] = []): ParsedArgs {
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const key = argv[i].startsWith('--') && !argv[i].includes('=') ? argv[i].slice(2) : undefined;
    if (key !== undefined && (valued.includes(key) || repeatable.includes(key)) && argv[i + 1]?.startsWith('-') && argv[i + 1] !== '--') args.push(`--${key}=${argv[++i]}`);
    else args.push(argv[i]);
  }
  const options = Object.fromEntries([
    ...valued.map((k) => [k, { type: 'string' as const }]),
    ...repeatable.map((k) => [k, { type: 'string' as const, multiple: true as const }]),
    ...[...switches, 'json'].map((k) => [k, { type: 'boolean' as const }]),
  ]);
  try {
    const { values, positionals } = parseNodeArgs({ args, options, allowPositionals: true, strict: true });
    const flags: Flags = new Map();
    const lists = new Map<string, string[]>();
    for (const [k, v] of Object.entries(values)) {
      if (Array.isArray(v)) lists.set(k, v.map(String));
      else if (v !== undefined && v !== false) flags.set(k, v === true ? true : String(v));
    }
    return { positionals, flags, lists };
  } catch (e) {
    throw new UsageError(usageProblem(e));
  }
}

/** util.parseArgs's complaint in mlw's words ("unknown option --x", "--target needs a value"). */
function usageProblem(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string }).code;
  const name = /'(-{1,2}[^' <]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && name) return `unknown option ${name}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && name) return /argument missing/.test(message) ? `${name} needs a value` : `${name} takes no value`;
  return message;
}

/** A valued option's text, or undefined when not given. */
export const flagString = (f: Flags, k: string): string | undefined => {
  const v = f.get(k);
  return typeof v === 'string' ? v : undefined;
};
