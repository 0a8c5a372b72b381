// What commands about runs receive: a tree node (and, from a multi-selection, all selected nodes),
// a run id (panels, tests, other extensions), or nothing (then the command asks).
import type { Node } from './experimentsView';

export function runIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string' && /^[\w-]+$/.test(arg)) return arg;
  const n = arg as Node | undefined;
  return n && typeof n === 'object' && n.type === 'run' ? n.run.runId : undefined;
}

/** The runs a command acts on: the selection when the clicked node is part of it, else the clicked node. */
export function runIdsOf(arg: unknown, selected: unknown): string[] {
  if (Array.isArray(arg)) return arg.map(runIdOf).filter((x): x is string => !!x);
  const list = Array.isArray(selected) ? selected.map(runIdOf).filter((x): x is string => !!x) : [];
  const one = runIdOf(arg);
  if (one && !list.includes(one)) return [one];
  return list.length ? list : one ? [one] : [];
}
