// The serving folders mlw scaffold writes: its own module so the extension host can offer them
// without loading the scaffold's engine (models, TensorFlow.js).
export type ScaffoldTarget = 'fastapi' | 'node';
export const SCAFFOLD_TARGETS: ScaffoldTarget[] = ['fastapi', 'node'];
