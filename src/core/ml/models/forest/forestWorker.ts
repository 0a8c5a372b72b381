// Worker thread: grows the trees it is handed, one at a time, on a fit's shared binned features.
import { serveItems } from '../../../threads';
import { ForestJob, growSeededTree, Tree, warmUp } from './tree';

serveItems<ForestJob, number, Tree>('forest', growSeededTree, warmUp);
