// Files esbuild bundles as text (scripts/build.mjs's loader): the Python a scaffold writes.
declare module '*.py' {
  const text: string;
  export default text;
}
