import { describe, expect, it } from 'vitest';
import { parseMarkedProfiles, parseProfileArray, SESSION_MARKER } from '../../../src/bench/profile/events';

// The layout both onnxruntime-node's file and the WASM build's stdout use: one event per line.
const block = [
  '[',
  '{"cat" : "Session","pid" :42,"tid" :1,"dur" :8306,"ts" :152,"ph" : "X","name" :"model_run","args" : {}},',
  '{"cat" : "Node","pid" :42,"tid" :1,"dur" :209,"ts" :200,"ph" : "X","name" :"fc1_kernel_time","args" : {"op_name" : "MatMul","input_type_shape" : [{"float":[2,1,1024]},{"float":[1024,4096]}],"output_type_shape" : [{"float":[2,1,4096]}],"parameter_size" : "16777216","provider" : "CPUExecutionProvider"}}',
  ']',
].join('\n');

describe('parseProfileArray', () => {
  it('reads kernel events with their op, shapes and weight bytes, and session events', () => {
    const [run, kernel] = parseProfileArray(block);
    expect(run).toEqual({ cat: 'Session', name: 'model_run', ts: 152, dur: 8306 });
    expect(kernel).toEqual({
      cat: 'Node',
      name: 'fc1_kernel_time',
      ts: 200,
      dur: 209,
      op: 'MatMul',
      inputs: [{ type: 'float', dims: [2, 1, 1024] }, { type: 'float', dims: [1024, 4096] }],
      outputs: [{ type: 'float', dims: [2, 1, 4096] }],
    });
  });

  it('gives no events for text without an array', () => {
    expect(parseProfileArray('nothing here')).toEqual([]);
  });
});

describe('parseMarkedProfiles', () => {
  it('splits stdout into one profile per marker, ignoring what comes before the first', () => {
    const stdout = `some log line\n${SESSION_MARKER} embed.onnx\n${block}\n${SESSION_MARKER} block_0.onnx\n[\n]\n`;
    const profiles = parseMarkedProfiles(stdout);
    expect(profiles.map((p) => p.session)).toEqual(['embed.onnx', 'block_0.onnx']);
    expect(profiles[0].events).toHaveLength(2);
    expect(profiles[1].events).toEqual([]);
  });
});
