// Worker thread: fits one-vs-one pairs of an SVC, one at a time as the main thread hands them out.
import { parentPort } from 'node:worker_threads';
import { fitPair, PairProblem, SvmWorkerReply, SvmWorkerRequest } from './svm';

let problem: PairProblem | undefined;

parentPort!.on('message', (m: SvmWorkerRequest) => {
  if (m.type === 'problem') {
    problem = m.problem;
    return;
  }
  try {
    if (!problem) throw new Error('svm worker: a pair before the problem');
    parentPort!.postMessage({ type: 'pair', q: m.q, fit: fitPair(problem, m.a, m.b) } satisfies SvmWorkerReply);
  } catch (e) {
    parentPort!.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) } satisfies SvmWorkerReply);
  }
});
