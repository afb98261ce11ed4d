/**
 * Per-class precision, recall and F1 from a confusion matrix, and the JSON shape of a keyword
 * evaluation (accuracy, per-class metrics, confusion matrix).
 */

/** Metrics of one class. */
export interface ClassMetrics {
  label: string;
  /** Correct predictions of this class / all predictions of it (0 when never predicted). */
  precision: number;
  /** Correct predictions of this class / examples of it (0 when it has none). */
  recall: number;
  /** Harmonic mean of precision and recall (0 when both are 0). */
  f1: number;
  /** Examples of this class. */
  support: number;
}

/** A keyword model evaluated on a labelled set. */
export interface KeywordEvaluation {
  /** Fraction of examples whose top label is right. */
  accuracy: number;
  /** Number of examples. */
  count: number;
  /** Labels in model order (rows and columns of `confusion`). */
  labels: string[];
  /** Per-class precision/recall/F1, in label order. */
  perClass: ClassMetrics[];
  /** `confusion[true][predicted]` counts. */
  confusion: number[][];
}

/** Precision, recall, F1 and support of every class of `confusion[true][predicted]`. */
export function classMetrics(confusion: readonly (readonly number[])[], labels: readonly string[]): ClassMetrics[] {
  return labels.map((label, c) => {
    const support = (confusion[c] ?? []).reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, row) => a + (row[c] ?? 0), 0);
    const tp = confusion[c]?.[c] ?? 0;
    const precision = predicted > 0 ? tp / predicted : 0;
    const recall = support > 0 ? tp / support : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, precision, recall, f1, support };
  });
}

/** Builds a {@link KeywordEvaluation} from a confusion matrix. */
export function keywordEvaluation(confusion: number[][], labels: readonly string[]): KeywordEvaluation {
  let correct = 0;
  let count = 0;
  confusion.forEach((row, i) => row.forEach((n, j) => {
    count += n;
    if (i === j) correct += n;
  }));
  return { accuracy: count ? correct / count : 0, count, labels: [...labels], perClass: classMetrics(confusion, labels), confusion };
}

/** A plain-text table of an evaluation: accuracy, then one line per class, then the confusion matrix. */
export function formatKeywordEvaluation(e: KeywordEvaluation): string {
  const w = Math.max(9, ...e.labels.map((l) => l.length));
  const lines = [`accuracy ${(100 * e.accuracy).toFixed(2)}% (${e.count} examples)`, '', `${'label'.padEnd(w)}  precision  recall     f1  support`];
  for (const m of e.perClass) {
    lines.push(`${m.label.padEnd(w)}  ${m.precision.toFixed(4).padStart(9)}  ${m.recall.toFixed(4).padStart(6)}  ${m.f1.toFixed(4).padStart(5)}  ${String(m.support).padStart(7)}`);
  }
  lines.push('', 'confusion (rows: true, columns: predicted, in label order)');
  const cw = Math.max(4, ...e.confusion.flat().map((n) => String(n).length + 1));
  for (let i = 0; i < e.labels.length; i++) {
    lines.push(`${e.labels[i]!.padEnd(w)} ${e.confusion[i]!.map((n) => String(n).padStart(cw)).join('')}`);
  }
  return lines.join('\n');
}
