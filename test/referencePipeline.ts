// The datasets of ../shared/reference/bench_sklearn.py as that script prepares them, for the parity
// tests and bench:train. Its mpls_stops is not our default preprocessing: it makes hour, day of week
// and month of `date` (not year or weekend) and one-hot encodes the precinct number as text.
import { loadCsv } from '../src/core/csv/load';
import { trainTestData, TrainTestData, TrainTestOptions } from '../src/core/ml/dataset';

export interface ReferenceSetup {
  target: string;
  options: TrainTestOptions;
}

export type ReferenceDataset = 'titanic_survival' | 'letter_recognition' | 'mpls_stops';

export const REFERENCE_SETUPS: Record<ReferenceDataset, ReferenceSetup> = {
  titanic_survival: { target: 'survived', options: { drop: ['name'] } },
  letter_recognition: { target: 'lettr', options: {} },
  mpls_stops: {
    target: 'personSearch',
    options: {
      drop: ['idNum', 'vehicleSearch', 'citationIssued'],
      preprocess: { datetimeParts: ['hour', 'dayofweek', 'month'], categoricalColumns: ['policePrecinct'] },
    },
  },
};

/** The dataset's CSV at `csv`, split and preprocessed as the reference script does it. */
export async function referenceData(name: ReferenceDataset, csv: string): Promise<TrainTestData> {
  const setup = REFERENCE_SETUPS[name];
  return trainTestData(await loadCsv(csv), setup.target, setup.options);
}
