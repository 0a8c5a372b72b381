// Worker thread: fits one-vs-one pairs of an SVC, one at a time as the main thread hands them out.
import { serveItems } from '../../threads';
import { fitPair, PairFit, PairProblem } from './svm';

serveItems<PairProblem, [number, number], PairFit>('svm', (problem, [a, b]) => fitPair(problem, a, b));
