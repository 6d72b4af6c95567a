/**
 * Compiles the rows' patch lists into per-step `keep`/`add` feeds for the block graphs, where each
 * module output becomes `out * keep + add` per batch row:
 *   replace: keep 0, add v     adjust: keep 1, add v     add: keep 1, add scale·v
 * Several patches on one site of one row compose in list order:
 *   (out·k1 + a1)·k2 + a2 = out·(k1·k2) + (a1·k2 + a2).
 */
import { BLOCK_MODULES, type BlockModule } from '../bundle/graphContract';
import { parseHookName } from './hooks';
import type { PatchSpec, RowSpec } from './types';

export interface PatchFeeds {
  keep: Float32Array; // [2·activeSlots, 1, d]
  add: Float32Array; // [2·activeSlots, 1, d]
}

export interface PatchPlan {
  /** True when no row has any patch (the engine can skip the plan entirely). */
  readonly empty: boolean;
  /**
   * Feeds for one site at one step over the first `activeSlots` slots (batch rows in slot order,
   * cond then null of each slot), or null when no row patches that site at that step. The arrays
   * are reused by the next call for the same module: consume them before asking again.
   */
  feeds(step: number, layer: number, module: BlockModule, activeSlots: number): PatchFeeds | null;
}

/** One compiled patch: a row's slot, its site and what to write there. */
interface CompiledPatch {
  slot: number;
  keep: 0 | 1;
  scale: number; // multiplies values into add (1 for replace/adjust)
  values: Float32Array; // [valueSteps, 2, d] or [d]
  perStep: boolean;
  bothBranches: boolean;
  start: number; // first step patched
  end: number; // one past the last step patched
}

function requirePositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
}

function requirePermutation(slotOrder: readonly number[], rowCount: number): void {
  if (slotOrder.length !== rowCount) throw new Error(`slotOrder has length ${slotOrder.length}, expected ${rowCount} (one slot per row)`);
  const seen = new Uint8Array(rowCount);
  slotOrder.forEach((row, slot) => {
    if (!Number.isInteger(row) || row < 0 || row >= rowCount || seen[row]) {
      throw new Error(`slotOrder[${slot}] = ${row}: slotOrder must be a permutation of the row indices 0..${rowCount - 1}`);
    }
    seen[row] = 1;
  });
}

function compilePatch(
  patch: PatchSpec,
  where: string,
  slot: number,
  depth: number,
  numLayers: number,
  d: number,
  steps: number,
  valueSteps: number,
): { layer: number; module: BlockModule; compiled: CompiledPatch } {
  const hook = parseHookName(patch.hook, numLayers);
  if (hook.module === null || hook.layer === null) {
    throw new Error(`${where}.hook "${patch.hook}" is not patchable: only blocks.{l}.hook_{attn,cross_attn,mlp}_out are`);
  }
  if (hook.layer >= depth) {
    throw new Error(`${where}.hook "${patch.hook}" patches layer ${hook.layer}, but the row stops after ${depth} layer(s) (depth ${depth})`);
  }
  if (patch.kind !== 'replace' && patch.kind !== 'adjust' && patch.kind !== 'add') {
    throw new Error(`${where}.kind must be 'replace', 'adjust' or 'add', got ${String(patch.kind)}`);
  }
  if (patch.scale !== undefined) {
    if (patch.kind !== 'add') throw new Error(`${where}.scale is only meaningful for kind 'add', not '${patch.kind}'`);
    if (!Number.isFinite(patch.scale)) throw new Error(`${where}.scale must be a finite number, got ${patch.scale}`);
  }
  const branches = patch.branches ?? 'cond';
  if (branches !== 'cond' && branches !== 'both') throw new Error(`${where}.branches must be 'cond' or 'both', got ${String(branches)}`);

  const [start, end] = patch.steps ?? [0, steps];
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > steps || start >= end) {
    throw new Error(`${where}.steps [${start}, ${end}) must be a non-empty integer range inside [0, ${steps})`);
  }

  if (!(patch.values instanceof Float32Array)) throw new Error(`${where}.values must be a Float32Array`);
  const perStep = patch.values.length !== d;
  if (perStep && patch.values.length !== valueSteps * 2 * d) {
    throw new Error(
      `${where}.values has length ${patch.values.length}, expected ${d} ([d]) or ${valueSteps * 2 * d} ([steps=${valueSteps}, 2, d=${d}])`,
    );
  }
  if (perStep && end > valueSteps) {
    throw new Error(`${where}.steps end ${end} is past the ${valueSteps} steps its values hold`);
  }

  return {
    layer: hook.layer,
    module: hook.module,
    compiled: {
      slot,
      keep: patch.kind === 'replace' ? 0 : 1,
      scale: patch.kind === 'add' ? (patch.scale ?? 1) : 1,
      values: patch.values,
      perStep,
      bothBranches: branches === 'both',
      start,
      end,
    },
  };
}

/**
 * @param rows the request's rows (patches and depths)
 * @param slotOrder batch slot -> row index (BatchPlan.order)
 * @param numLayers decoder layers of the model
 * @param d hidden size
 * @param steps decoder steps of this generation
 * @param stepsWithValuesExpected steps that per-step values [steps, 2, d] hold (default `steps`);
 *   larger when the values were captured over a longer run, e.g. means from full-length clips
 *   applied to a short preview
 */
export function compilePatchPlan(
  rows: readonly RowSpec[],
  slotOrder: readonly number[],
  numLayers: number,
  d: number,
  steps: number,
  stepsWithValuesExpected: number = steps,
): PatchPlan {
  requirePositiveInteger('numLayers', numLayers);
  requirePositiveInteger('d', d);
  requirePositiveInteger('steps', steps);
  requirePositiveInteger('stepsWithValuesExpected', stepsWithValuesExpected);
  requirePermutation(slotOrder, rows.length);

  // Per site (layer·3 + module index): its patches in slot order, each row's in list order.
  const sites: CompiledPatch[][] = Array.from({ length: numLayers * BLOCK_MODULES.length }, () => []);
  let patchCount = 0;
  slotOrder.forEach((rowIndex, slot) => {
    const row = rows[rowIndex];
    const depth = row.depth ?? numLayers;
    if (!Number.isInteger(depth) || depth < 1 || depth > numLayers) {
      throw new Error(`rows[${rowIndex}].depth must be an integer in [1, ${numLayers}], got ${depth}`);
    }
    (row.patches ?? []).forEach((patch, patchIndex) => {
      const where = `rows[${rowIndex}].patches[${patchIndex}]`;
      const { layer, module, compiled } = compilePatch(patch, where, slot, depth, numLayers, d, steps, stepsWithValuesExpected);
      sites[layer * BLOCK_MODULES.length + BLOCK_MODULES.indexOf(module)].push(compiled);
      patchCount++;
    });
  });

  const slotCount = slotOrder.length;
  // One keep/add pair per module, sized for the whole batch; feeds() hands out prefix views.
  const buffers = BLOCK_MODULES.map(() => ({
    keep: new Float32Array(2 * slotCount * d), // [2·slots, 1, d]
    add: new Float32Array(2 * slotCount * d), // [2·slots, 1, d]
  }));

  function feeds(step: number, layer: number, module: BlockModule, activeSlots: number): PatchFeeds | null {
    if (!Number.isInteger(step) || step < 0 || step >= steps) throw new Error(`step must be an integer in [0, ${steps}), got ${step}`);
    if (!Number.isInteger(layer) || layer < 0 || layer >= numLayers) {
      throw new Error(`layer must be an integer in [0, ${numLayers}), got ${layer}`);
    }
    const moduleIndex = BLOCK_MODULES.indexOf(module);
    if (moduleIndex < 0) throw new Error(`module must be one of ${BLOCK_MODULES.join(', ')}, got ${String(module)}`);
    if (!Number.isInteger(activeSlots) || activeSlots < 0 || activeSlots > slotCount) {
      throw new Error(`activeSlots must be an integer in [0, ${slotCount}], got ${activeSlots}`);
    }

    const site = sites[layer * BLOCK_MODULES.length + moduleIndex];
    if (site.length === 0) return null;
    const active = site.filter((patch) => step >= patch.start && step < patch.end);
    if (active.length === 0) return null;

    const size = 2 * activeSlots * d;
    const keep = buffers[moduleIndex].keep.subarray(0, size).fill(1); // [2·activeSlots, 1, d]
    const add = buffers[moduleIndex].add.subarray(0, size).fill(0); // [2·activeSlots, 1, d]
    for (const patch of active) {
      if (patch.slot >= activeSlots) {
        throw new Error(`slot ${patch.slot} patches layer ${layer} but only ${activeSlots} slot(s) are active there`);
      }
      const branchCount = patch.bothBranches ? 2 : 1;
      for (let branch = 0; branch < branchCount; branch++) {
        const rowStart = (2 * patch.slot + branch) * d;
        const valueStart = patch.perStep ? (step * 2 + branch) * d : 0;
        for (let i = 0; i < d; i++) {
          const value = patch.values[valueStart + i] * patch.scale;
          keep[rowStart + i] *= patch.keep;
          add[rowStart + i] = add[rowStart + i] * patch.keep + value;
        }
      }
    }
    return { keep, add };
  }

  return { empty: patchCount === 0, feeds };
}

const neutralCache = new Map<number, PatchFeeds>();

/**
 * Shared no-op feeds (keep all ones, add all zeros) for `batchRows` rows of [positions, d]:
 * [batchRows, positions, d]. Views into one cached pair per size class; never write into them.
 */
export function neutralFeeds(batchRows: number, d: number, positions = 1): PatchFeeds {
  requirePositiveInteger('batchRows', batchRows);
  requirePositiveInteger('d', d);
  requirePositiveInteger('positions', positions);
  const size = batchRows * positions * d;
  let capacity = 1;
  while (capacity < size) capacity *= 2; // few size classes, so the cache stays small
  let cached = neutralCache.get(capacity);
  if (!cached) {
    cached = { keep: new Float32Array(capacity).fill(1), add: new Float32Array(capacity) };
    neutralCache.set(capacity, cached);
  }
  return { keep: cached.keep.subarray(0, size), add: cached.add.subarray(0, size) };
}
