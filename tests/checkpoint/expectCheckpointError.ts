import { expect } from 'vitest';
import { CheckpointError } from '../../src/checkpoint/safetensors';

/** Awaits a promise that must reject with a CheckpointError, and returns that error. */
export async function failure(promise: Promise<unknown>): Promise<CheckpointError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CheckpointError);
  return error as CheckpointError;
}
