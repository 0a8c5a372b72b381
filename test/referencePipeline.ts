// The datasets of ../shared/reference/bench_sklearn.py as that script prepares them, for the parity
// tests and bench:train. Its mpls_stops is not our default preprocessing: it makes hour, day of week
// and month of `date` (not year or weekend) and one-hot encodes the precinct number as text.
import type { TrainTestOptions } from '../src/core/ml/dataset';

export interface ReferenceSetup {
  target: string;
  options: TrainTestOptions;
}

export const REFERENCE_SETUPS: Record<'titanic_survival' | 'letter_recognition' | 'mpls_stops', ReferenceSetup> = {
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
