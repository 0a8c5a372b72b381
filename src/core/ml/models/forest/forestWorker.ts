// Worker thread: grows the trees it is handed, one at a time, on a fit's shared binned features.
// It warms up first (see warmUp.ts), while the fit's data is still being read.
import { serveItems } from '../../../threads';
import { ForestJob, growSeededTree, Tree } from './tree';
import { warmUp, warmUpThread } from './warmUp';

serveItems<ForestJob, number, Tree>('forest', growSeededTree, warmUp);
warmUpThread();
