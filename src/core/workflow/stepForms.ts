// The Engineer Features panel's form for each feature step, derived from the run-spec schema's
// `features` section: the schema that completes and checks steps in the editor is the one owner of
// each step's options, their kinds, defaults and descriptions; the panel only lays them out.
// Options that name the file's columns (column, columns, groupBy, orderBy) become column pickers.
import schema from '../../../schemas/run-spec.schema.json';

export type OptionKind = 'column' | 'columns' | 'optionalColumn' | 'integer' | 'number' | 'boolean' | 'choice' | 'choices' | 'numbers' | 'strings' | 'text' | 'autoOrNumber';

export interface StepOption {
  name: string;
  kind: OptionKind;
  required: boolean;
  /** The values of a choice (or of each of several choices). */
  values?: string[];
  default?: unknown;
  description?: string;
}

export interface StepForm {
  type: string;
  description: string;
  options: StepOption[];
}

interface PropSchema {
  type?: string | string[];
  enum?: string[];
  items?: { type?: string; enum?: string[] };
  oneOf?: unknown[];
  default?: unknown;
  description?: string;
}

const COLUMN_NAMES = new Set(['column', 'groupBy', 'orderBy']);

function kindOf(name: string, p: PropSchema): Pick<StepOption, 'kind' | 'values'> {
  if (name === 'columns') return { kind: 'columns' };
  if (COLUMN_NAMES.has(name)) return { kind: Array.isArray(p.type) && p.type.includes('null') ? 'optionalColumn' : 'column' };
  if (p.enum) return { kind: 'choice', values: p.enum };
  if (p.oneOf) return { kind: 'autoOrNumber' };
  if (p.type === 'boolean') return { kind: 'boolean' };
  if (p.type === 'integer') return { kind: 'integer' };
  if (p.type === 'number') return { kind: 'number' };
  if (p.type === 'array' && p.items?.enum) return { kind: 'choices', values: p.items.enum };
  if (p.type === 'array') return { kind: p.items?.type === 'string' ? 'strings' : 'numbers' };
  return { kind: 'text' };
}

/** One form per step type, in the schema's order. */
export function stepForms(): StepForm[] {
  return schema.properties.features.items.allOf.map(({ if: cond, then }) => ({
    type: cond.properties.type.const,
    description: then.description,
    options: Object.entries<PropSchema | undefined>(then.properties).filter((e): e is [string, PropSchema] => e[0] !== 'type' && e[1] !== undefined).map(([name, p]): StepOption => ({
      name, ...kindOf(name, p), required: then.required.includes(name),
      ...(p.default !== undefined ? { default: p.default } : {}), ...(p.description ? { description: p.description } : {}),
    })),
  }));
}
