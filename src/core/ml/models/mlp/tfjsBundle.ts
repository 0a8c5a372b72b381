// The TensorFlow.js packages the MLP uses, bundled apart as dist/tfjs.js (scripts/build.mjs). They
// were 2.3 MB (with what tfjs-core pulls in for fetch, 2.7) of the CLI's 4.2 MB bundle, which every
// process read and parsed at start whether it fitted a network or not: `mlw help` took 0.34-0.57 s,
// 0.13-0.17 s of it Node's own start, against 0.22-0.30 s for the bundle without them. Every other
// bundle reaches these through scripts/build.mjs's tfjsApart plugin, so all share one instance.
export * as core from '@tensorflow/tfjs-core';
export * as layers from '@tensorflow/tfjs-layers';
export * as backendCpu from '@tensorflow/tfjs-backend-cpu';
export * as backendWasm from '@tensorflow/tfjs-backend-wasm';
