export interface RunOutcome {
  readonly seed: number;
  /** "pass", "fail at CHECK-ID" or "error at CHECK-ID". */
  readonly outcome: string;
}

export interface Tally {
  readonly agreed: number;
  readonly runs: number;
  /** Outcomes that differed from the expected one, with the seeds that gave them. */
  readonly differing: ReadonlyMap<string, readonly number[]>;
}

export function tally(outcomes: readonly RunOutcome[], expected: string): Tally {
  const differing = new Map<string, number[]>();
  for (const { seed, outcome } of outcomes) {
    if (outcome === expected) continue;
    differing.set(outcome, [...(differing.get(outcome) ?? []), seed]);
  }
  const disagreed = [...differing.values()].reduce((sum, seeds) => sum + seeds.length, 0);
  return { agreed: outcomes.length - disagreed, runs: outcomes.length, differing };
}

export function formatTally(label: string, expected: string, result: Tally): string {
  const head = `${label}: ${result.agreed}/${result.runs} runs agreed (${expected})`;
  if (result.differing.size === 0) return head;
  const details = [...result.differing].map(([outcome, seeds]) => `${outcome} with seeds ${seeds.join(', ')}`);
  return `${head}; differed: ${details.join('; ')}`;
}
