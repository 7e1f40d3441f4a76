import loadHighs from 'highs';
import type { AllocationInstance } from './allocation-model';
import { solveAllocation, type SolveOptions } from './allocation-solver';

/**
 * The solver's own process: HiGHS runs in WebAssembly, whose heap never shrinks and whose
 * native errors abort the whole module, so it never runs inside the API server. HiGHS loads
 * at once, while the parent reads the instance.
 */
const highs = loadHighs();

process.once('message', (message: { instance: AllocationInstance; options: SolveOptions }) => {
  void highs
    .then((solver) => solveAllocation(message.instance, solver, message.options))
    .then(
      (result) => process.send!({ ok: true, result }, () => process.exit(0)),
      (error: unknown) =>
        process.send!(
          { ok: false, error: error instanceof Error ? error.message : String(error) },
          () => process.exit(1),
        ),
    );
});
