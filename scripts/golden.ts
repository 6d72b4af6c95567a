/**
 * npm run golden -- <fixture-dir> [--backend node|wasm|all] [--dtype fp32|fp16|q8|q4|all]
 * Recognises the fixture by its files:
 *  - golden-tiny (config.json, model.safetensors, golden.safetensors, golden.json): converts the
 *    checkpoint with the project's converter and reproduces the reference outputs;
 *  - ast-fbank (fbank.safetensors, fbank.json): reproduces the AST classifier's input features.
 * Exits 1 on any mismatch, naming what differed.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkAstFbankFixture, FBANK_TOLERANCE, NEAR_FLOOR_TOLERANCE, type FbankComparison } from '../src/classifier/fbankFixture';
import { runGoldenCheck, type GoldenFixture } from '../src/golden/goldenCheck';
import { createRuntime, type Backend } from '../src/runtime/ort';
import type { WeightDtype } from '../src/bundle/manifest';
import { ALL_WEIGHT_DTYPES, isWeightDtype, WEIGHT_DTYPES } from '../src/bundle/weightDtypes';
import { percent, tokenDrift } from '../src/golden/drift';
import { messageOf } from '../src/errorMessage';

const HELP = `Usage: npm run golden -- <fixture-dir> [options]

Recognises the fixture folder by its files:
  golden-tiny  config.json, model.safetensors, golden.safetensors, golden.json
               (../shared/fixtures/golden-tiny): reproduced with the project's converter and engine
  ast-fbank    fbank.safetensors, fbank.json (../shared/fixtures/ast-fbank): the AST classifier's
               input features, from wave_16k and from wave_32k through the project's resampler
               (tolerance 1e-3; 2e-3 within 1 nat of the log floor). The options below do not apply.

Options:
  --backend node|wasm|all   onnxruntime-node, onnxruntime-web (WASM), or both (default: all)
  --dtype fp32|fp16|q8|q4|all
                            weight storage of the converted bundle (default: fp32). fp16 is
                            expected to drift: its report is informational unless --strict-fp16.
                            q8/q4 are a quantised model: always informational, reported as the
                            token agreement (greedy, lens, interventions; see npm run quant-drift)
  --strict-fp16             make fp16 mismatches fail too
  --tolerance X             absolute tolerance for float tensors (default 1e-4)
  -h, --help                show this help
`;

async function loadFixture(dir: string): Promise<GoldenFixture> {
  const read = async (name: string) => {
    try {
      return new Uint8Array(await readFile(join(dir, name)));
    } catch {
      throw new Error(`${join(dir, name)}: cannot read (a golden fixture folder holds config.json, model.safetensors, golden.safetensors, golden.json)`);
    }
  };
  const text = new TextDecoder();
  return {
    configJson: text.decode(await read('config.json')),
    model: await read('model.safetensors'),
    golden: await read('golden.safetensors'),
    goldenJson: text.decode(await read('golden.json')),
  };
}

const GOLDEN_FILES = ['config.json', 'model.safetensors', 'golden.safetensors', 'golden.json'];
const FBANK_FILES = ['fbank.safetensors', 'fbank.json'];

function describeComparison(c: FbankComparison): string {
  const exp = (x: number) => x.toExponential(1);
  return `max |diff| ${exp(c.maxDiff)} (${exp(c.maxDiffAwayFromFloor)} away from the log floor), ${c.beyondTolerance} values beyond ${FBANK_TOLERANCE}`;
}

async function checkFbankFixture(dir: string): Promise<number> {
  const report = await checkAstFbankFixture(new Uint8Array(await readFile(join(dir, 'fbank.safetensors'))), await readFile(join(dir, 'fbank.json'), 'utf8'));
  console.log(`ast-fbank fixture ${dir}: tolerance ${FBANK_TOLERANCE} (${NEAR_FLOOR_TOLERANCE} within 1 nat of the log floor)`);
  for (const { name, fromWave16k, fromWave32k } of report.cases) {
    for (const [path, comparison] of [['wave_16k', fromWave16k], ['wave_32k (our resampler)', fromWave32k]] as const) {
      console.log(`  ${comparison.passed ? 'ok  ' : 'FAIL'} ${name} from ${path}: ${describeComparison(comparison)}`);
    }
  }
  console.log(report.passed ? '\ngolden check passed' : '\ngolden check FAILED');
  return report.passed ? 0 : 1;
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      backend: { type: 'string', default: 'all' },
      dtype: { type: 'string', default: 'fp32' },
      'strict-fp16': { type: 'boolean', default: false },
      tolerance: { type: 'string', default: '1e-4' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length !== 1) throw new Error(`expected one fixture directory\n\n${HELP}`);
  const backends: Backend[] = values.backend === 'all' ? ['node', 'wasm'] : [values.backend as Backend];
  if (!backends.every((b) => b === 'node' || b === 'wasm')) throw new Error(`--backend must be node, wasm or all (browsers: npm run test:browser)`);
  const dtypes: WeightDtype[] = values.dtype === 'all' ? [...ALL_WEIGHT_DTYPES] : [values.dtype as WeightDtype];
  if (!dtypes.every(isWeightDtype)) throw new Error(`--dtype must be one of ${ALL_WEIGHT_DTYPES.join(', ')} or all`);
  const tolerance = Number(values.tolerance);
  if (!(tolerance > 0)) throw new Error('--tolerance must be a positive number');

  const dir = positionals[0];
  if (FBANK_FILES.every((file) => existsSync(join(dir, file)))) return checkFbankFixture(dir);
  if (!GOLDEN_FILES.every((file) => existsSync(join(dir, file)))) {
    throw new Error(`${dir} is not a fixture folder: a golden-tiny fixture holds ${GOLDEN_FILES.join(', ')}; an ast-fbank fixture holds ${FBANK_FILES.join(', ')}`);
  }
  const fixture = await loadFixture(dir);
  let failed = false;
  for (const backend of backends) {
    const runtime = await createRuntime(backend);
    for (const dtype of dtypes) {
      const report = await runGoldenCheck(fixture, runtime, { dtype, tolerance });
      const quantised = WEIGHT_DTYPES[dtype].quantised;
      const informational = quantised || (dtype === 'fp16' && !values['strict-fp16']);
      console.log(`\n${runtime.description}, ${dtype} weights${informational ? ' (informational)' : ''}:`);
      for (const check of report.checks) console.log(`  ${check.passed ? 'ok  ' : 'FAIL'} ${check.name}: ${check.detail}`);
      const passedCount = report.checks.filter((c) => c.passed).length;
      console.log(`  ${passedCount}/${report.checks.length} checks passed`);
      if (quantised) {
        const drift = tokenDrift(report.checks);
        console.log(`  token agreement with the reference: greedy ${percent(drift.greedy)}, lens mean ${percent(drift.lensMean)} (min ${percent(drift.lensMin)}), interventions mean ${percent(drift.interventionMean)} (min ${percent(drift.interventionMin)})`);
      }
      if (!report.passed && !informational) failed = true;
    }
  }
  console.log(failed ? '\ngolden check FAILED' : '\ngolden check passed');
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`golden: ${messageOf(error)}`);
    process.exit(1);
  },
);
