/**
 * `npm run bench:crisis`: the cost of the crisis-signal detector (CON-4) per patient message, for ordinary text
 * and for an adversarial message of 4,000 characters made only of negated phrases (the worst case the cue window
 * guards against). Baseline, measured in the same run: normalising the same text, which any detector must do.
 */
import { performance } from 'node:perf_hooks';
import { BASE_LEXICON, createCrisisDetector, normaliseText } from '@anxin/domain/crisis';

const detector = createCrisisDetector(BASE_LEXICON);
const inputs: Record<string, string> = {
  'short message (28 chars)': '最近睡得不好，白天没精神，想问问要不要调药。',
  'ordinary 4,000 chars': '今天又是普通的一天，工作很多，心情一般。'.repeat(200),
  'adversarial 4,000 chars (不自杀 ×1333)': '不自杀'.repeat(1333),
  'risk phrase in 4,000 chars': `${'今天又是普通的一天，工作很多，心情一般。'.repeat(199)}我不想活了`,
};

function perCall(fn: () => unknown): number {
  for (let i = 0; i < 50; i++) fn(); // warm up
  const rounds = 400;
  const start = performance.now();
  for (let i = 0; i < rounds; i++) fn();
  return ((performance.now() - start) / rounds) * 1000; // µs
}

console.log(`crisis detector, ${detector.ruleCount} rules (µs per message; baseline = normalisation alone)\n`);
console.log('input'.padEnd(42), 'detector'.padStart(10), 'baseline'.padStart(10), 'ratio'.padStart(8));
for (const [name, text] of Object.entries(inputs)) {
  const full = perCall(() => detector.assess(text));
  const base = perCall(() => normaliseText(text));
  console.log(
    name.padEnd(42),
    full.toFixed(1).padStart(10),
    base.toFixed(1).padStart(10),
    `${(full / base).toFixed(1)}×`.padStart(8),
  );
}
