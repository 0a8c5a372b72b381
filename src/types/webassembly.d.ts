// The few WebAssembly APIs the network's training kernels use (mlp/trainStep.ts). Node has them
// all; the project's lib (ES2022, no DOM) types none of them, and @types/emscripten (which
// tfjs-backend-wasm brings) only names Module. Declared here rather than pulling in the DOM lib.
declare namespace WebAssembly {
  interface Module {}
  const Module: { new (bytes: Uint8Array): Module };
  interface Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
  const Memory: { new (descriptor: { initial: number; maximum?: number }): Memory };
  /** `Exports`: what the module is known to export (the caller checks it at instantiation). */
  interface Instance<Exports = Record<string, unknown>> {
    readonly exports: Exports;
  }
  const Instance: { new <Exports = Record<string, unknown>>(module: Module, imports?: Record<string, Record<string, unknown>>): Instance<Exports> };
}
