// A JSON schema's complaints (Ajv's errors) as the lines a user reads, for every spec file we check
// (run specs, monitoring specs): each named by its JSON path, allowed values listed; an `if`'s echo
// dropped; an anyOf of required fields said once ("needs "below" or "above"") instead of once per
// branch.
import type { ErrorObject } from 'ajv';

export function schemaProblems(errors: ErrorObject[] | null | undefined): string[] {
  const all = errors ?? [];
  const out = all.filter((e) => e.keyword !== 'if' && !e.schemaPath.includes('/anyOf/')).map((e) => {
    const where = e.instancePath || '(top level)';
    if (e.keyword === 'anyOf') {
      const needs = all.filter((b) => b.instancePath === e.instancePath && b.keyword === 'required' && b.schemaPath.includes('/anyOf/')).map((b) => `"${(b.params as { missingProperty: string }).missingProperty}"`);
      return needs.length ? `${where} needs ${needs.join(' or ')}` : `${where} ${e.message}`;
    }
    return `${where} ${e.message}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`;
  });
  return [...new Set(out)];
}
