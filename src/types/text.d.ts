// Files esbuild bundles as text (scripts/build.mjs's loader): the Python a scaffold writes.
declare module '*.py' {
  const text: string;
  export default text;
}

// A JSON schema compiled into a validator at build time (scripts/build.mjs's standaloneSchemas).
declare module '*.schema.json?standalone' {
  import type { ErrorObject } from 'ajv';
  const validate: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
  export default validate;
}

// AssemblyScript compiled into WebAssembly at build time (scripts/build.mjs's assemblyScript plugin).
declare module '*?wasm' {
  const bytes: Uint8Array;
  export default bytes;
}
