/** The k most probable classes of one clip, most probable first. Pure. */
export interface RankedLabel {
  index: number;
  label: string;
  probability: number;
}

export function topLabels(probabilities: ArrayLike<number>, labels: readonly string[], k: number): RankedLabel[] {
  if (probabilities.length !== labels.length) throw new Error(`topLabels: ${probabilities.length} probabilities for ${labels.length} labels`);
  const order = Array.from({ length: probabilities.length }, (_, i) => i).sort((a, b) => probabilities[b] - probabilities[a] || a - b);
  return order.slice(0, Math.max(0, k)).map((index) => ({ index, label: labels[index], probability: probabilities[index] }));
}
