/**
 * onnxruntime's profiler output (Chrome trace events) as typed events. onnxruntime-node writes one
 * JSON array per session to a file; onnxruntime-web's WASM build prints the same array to stdout,
 * one event per line, which scripts/bench/profileRun.ts precedes with a `SESSION_MARKER <name>` line.
 */

export const SESSION_MARKER = '@@profile-session';

export interface TensorShape {
  type: string; // "float", "int64", "uint8", …
  dims: number[];
}

/** A kernel's run ("Node") or a session phase ("Session": model_run, session_initialization, …). */
export interface ProfileEvent {
  cat: string;
  name: string;
  ts: number; // µs since the session's profiler started
  dur: number; // µs
  op?: string; // Node events: the op type after graph optimisation (MatMul, FusedMatMul, …)
  inputs?: TensorShape[];
  outputs?: TensorShape[];
}

export interface SessionProfile {
  session: string;
  events: ProfileEvent[];
}

interface RawEvent {
  cat: string;
  name: string;
  ts: number;
  dur: number;
  args?: { op_name?: string; input_type_shape?: Record<string, number[]>[]; output_type_shape?: Record<string, number[]>[]};
}

function shapes(raw: Record<string, number[]>[] | undefined): TensorShape[] | undefined {
  return raw?.map((entry) => {
    const [type, dims] = Object.entries(entry)[0] ?? ['unknown', []];
    return { type, dims };
  });
}

/** One session's profile: the JSON array onnxruntime wrote (text around it is ignored). */
export function parseProfileArray(text: string): ProfileEvent[] {
  const start = text.indexOf('[');
  const end = text.lastIndexOf(']');
  if (start < 0 || end < start) return [];
  const raw = JSON.parse(text.slice(start, end + 1)) as RawEvent[];
  return raw.map(({ cat, name, ts, dur, args }) => ({
    cat,
    name,
    ts,
    dur,
    ...(args?.op_name ? { op: args.op_name } : {}),
    ...(args?.input_type_shape ? { inputs: shapes(args.input_type_shape) } : {}),
    ...(args?.output_type_shape ? { outputs: shapes(args.output_type_shape) } : {}),
  }));
}

/** The WASM build's stdout: one profile after each marker line; other lines before a marker are ignored. */
export function parseMarkedProfiles(stdout: string): SessionProfile[] {
  const sections = stdout.split(`${SESSION_MARKER} `).slice(1);
  return sections.map((section) => {
    const newline = section.indexOf('\n');
    const session = (newline < 0 ? section : section.slice(0, newline)).trim();
    return { session, events: newline < 0 ? [] : parseProfileArray(section.slice(newline + 1)) };
  });
}
