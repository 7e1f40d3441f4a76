import loadHighs from 'highs';
import type { AllocationInstance } from './allocation-model';
import { solveAllocation, type SolveOptions } from './allocation-solver';

/**
 * The solver's own process: HiGHS runs in WebAssembly, whose heap never shrinks and whose
 * native errors abort the whole module, so it never runs inside the API server.
 */
process.once('message', (message: { instance: AllocationInstance; options: SolveOptions }) => {
  void loadHighs()
    .then((highs) => solveAllocation(message.instance, highs, message.options))
    .then(
      (result) => process.send!({ ok: true, result }, () => process.exit(0)),
      (error: unknown) =>
        process.send!(
          { ok: false, error: error instanceof Error ? error.message : String(error) },
          () => process.exit(1),
        ),
    );
});
