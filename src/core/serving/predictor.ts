// One loaded bundle, ready to answer rows: the fields a request must carry (the bundle's input
// schema, plus the lag and rolling columns a single row cannot compute), and predictions made by
// predictFrame, the function mlw predict runs, so a server's answers are the CLI's exactly.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LoadedBundle, loadBundle } from '../workflow/bundle';
import { predictFrame } from '../workflow/predict';
import { framesFromRows, ServingField } from './rows';

export interface RowPrediction {
  prediction: string | number;
  /** Classifiers only: each class's probability, in the bundle's class order. */
  probabilities?: Record<string, number>;
}

export interface ModelIdentity {
  /** The training run (MLflow run id), when the bundle came from one. */
  runId?: string;
  /** The estimator (e.g. RandomForestClassifier) and our model key. */
  name: string;
  /** The first 12 hex digits of bundle.json's SHA-256: which exact model answered. */
  version: string;
}

export class Predictor {
  readonly fields: ServingField[];
  readonly model: ModelIdentity;

  private constructor(readonly loaded: LoadedBundle, version: string) {
    const b = loaded.bundle;
    const history = new Set(loaded.features.historyColumns());
    this.fields = [...b.input.map((c): ServingField => ({ ...c })), ...[...history].map((name): ServingField => ({ name, kind: 'numeric', history: true }))];
    this.model = { ...(b.source?.runId ? { runId: b.source.runId } : {}), name: `${b.estimator.type} (${b.model})`, version };
  }

  static async load(where: string): Promise<Predictor> {
    const loaded = await loadBundle(where);
    const version = createHash('sha256').update(fs.readFileSync(loaded.file)).digest('hex').slice(0, 12);
    return new Predictor(loaded, version);
  }

  get task() {
    return this.loaded.bundle.task;
  }

  get labels(): string[] | undefined {
    return this.loaded.bundle.labels;
  }

  get file(): string {
    return this.loaded.file;
  }

  /** The training run's metrics, read from the MLflow run folder the bundle sits in (artifacts/model/bundle.json), if it does. */
  trainingMetrics(): Record<string, number> {
    const metricsDir = path.resolve(path.dirname(this.loaded.file), '..', '..', 'metrics');
    const out: Record<string, number> = {};
    try {
      for (const name of fs.readdirSync(metricsDir)) {
        const lines = fs.readFileSync(path.join(metricsDir, name), 'utf8').trim().split('\n');
        const value = Number(lines[lines.length - 1].split(' ')[1]);
        if (Number.isFinite(value)) out[name] = value;
      }
    } catch {
      // a bundle outside a run folder: no metrics to show
    }
    return out;
  }

  /** Predictions for rows, in order, with warnings (unseen categories); InputProblems when a row is not what the model reads. */
  predict(rows: unknown[]): { predictions: RowPrediction[]; warnings: string[] } {
    const { frame, warnings } = framesFromRows(rows, this.fields, 'request');
    if (rows.length === 0) return { predictions: [], warnings };
    const { pred, proba } = predictFrame(this.loaded, frame, { historyGiven: true });
    const labels = this.labels;
    const predictions = Array.from(pred, (p, i): RowPrediction => {
      if (!labels || !proba) return { prediction: p };
      const k = labels.length;
      const probabilities: Record<string, number> = {};
      for (let c = 0; c < k; c++) probabilities[labels[c]] = proba[i * k + c];
      return { prediction: labels[p], probabilities };
    });
    return { predictions, warnings };
  }
}
