/** The shape of one benchmark figure in bench/results.json. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  /** A baseline measured in the same run. */
  baseline?: { name: string; value: number };
  /** value / baseline.value (or as the entry's name explains). */
  ratio?: number;
}
