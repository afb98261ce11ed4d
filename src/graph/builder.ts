/**
 * GraphBuilder: typed helpers over the addon's generic `addOperation` (constants, placeholders,
 * resource variables, element-wise maths), with unique names per scope. Layer mappings,
 * losses and optimizers build their ops through it.
 */
import type { GraphAttr, GraphDtype, GraphInput, GraphOutput, NativeGraph } from './addon.ts';

/** Attribute values by name: plain values are typed by {@link attr} helpers. */
export type AttrMap = Record<string, GraphAttr['value'] | TypedAttr>;

/** An attribute value with its kind stated (needed where the kind cannot be inferred). */
export interface TypedAttr {
  readonly __kind: GraphAttr['kind'];
  readonly value: GraphAttr['value'];
}

/** Helpers that state an attribute's kind explicitly. */
export const attr = {
  type: (value: GraphDtype): TypedAttr => ({ __kind: 'type', value }),
  types: (value: GraphDtype[]): TypedAttr => ({ __kind: 'types', value }),
  int: (value: number): TypedAttr => ({ __kind: 'int', value }),
  ints: (value: number[]): TypedAttr => ({ __kind: 'ints', value }),
  float: (value: number): TypedAttr => ({ __kind: 'float', value }),
  floats: (value: number[]): TypedAttr => ({ __kind: 'floats', value }),
  bool: (value: boolean): TypedAttr => ({ __kind: 'bool', value }),
  string: (value: string): TypedAttr => ({ __kind: 'string', value }),
  shape: (value: number[] | null): TypedAttr => ({ __kind: 'shape', value }),
};

function isTypedAttr(v: unknown): v is TypedAttr {
  return typeof v === 'object' && v !== null && '__kind' in v;
}

const DTYPES = new Set<string>(['float32', 'int32', 'int64', 'bool', 'uint8', 'resource']);

/** Infers an attribute's kind: dtype names -> type, strings -> string, numbers -> int, etc. */
function toAttr(name: string, v: AttrMap[string]): GraphAttr {
  if (isTypedAttr(v)) return { name, kind: v.__kind, value: v.value } as GraphAttr;
  if (typeof v === 'string') return DTYPES.has(v) ? { name, kind: 'type', value: v as GraphDtype } : { name, kind: 'string', value: v };
  if (typeof v === 'boolean') return { name, kind: 'bool', value: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { name, kind: 'int', value: v } : { name, kind: 'float', value: v };
  if (Array.isArray(v)) return { name, kind: 'ints', value: v as number[] };
  throw new Error(`attribute ${name}: give its kind with attr.*()`);
}

/** A resource variable in the graph: its handle, a read of its value, and its static shape. */
export interface GraphVariable {
  name: string;
  shape: number[];
  dtype: GraphDtype;
  handle: GraphOutput;
  /** `ReadVariableOp` output (shared by every consumer of this variable in the graph). */
  value: GraphOutput;
  /** Placeholder + `AssignVariableOp` used to set the value from a typed array. */
  assignFeed: GraphOutput;
  assignOp: number;
}

/** Builds a TensorFlow graph through the addon with readable names. */
export class GraphBuilder {
  private readonly names = new Map<string, number>();
  private scopes: string[] = [];
  /** Every variable created, in creation order. */
  readonly variables: GraphVariable[] = [];

  constructor(readonly graph: NativeGraph) {}

  /** Runs `fn` with names prefixed by `scope/`. */
  scoped<T>(scope: string, fn: () => T): T {
    this.scopes.push(scope.replace(/[^A-Za-z0-9_.\-/]/g, '_'));
    try {
      return fn();
    } finally {
      this.scopes.pop();
    }
  }

  /** A unique operation name under the current scope. */
  uniqueName(base: string): string {
    const full = [...this.scopes, base].join('/');
    const n = this.names.get(full) ?? 0;
    this.names.set(full, n + 1);
    return n === 0 ? full : `${full}_${n}`;
  }

  /** Adds an operation; returns all its outputs. */
  opAll(type: string, inputs: GraphInput[], attrs: AttrMap = {}, options: { name?: string; control?: number[] } = {}): { id: number; outputs: GraphOutput[] } {
    const attrList = Object.entries(attrs).map(([k, v]) => toAttr(k, v));
    const id = this.graph.addOperation(type, this.uniqueName(options.name ?? type), inputs, attrList, options.control ?? []);
    const n = this.graph.numOutputs(id);
    return { id, outputs: Array.from({ length: n }, (_, i) => [id, i] as const) };
  }

  /** Adds an operation with one output (or none) and returns output 0. */
  op(type: string, inputs: GraphInput[], attrs: AttrMap = {}, options: { name?: string; control?: number[] } = {}): GraphOutput {
    const { id } = this.opAll(type, inputs, attrs, options);
    return [id, 0];
  }

  /** Adds an operation with no outputs used (NoOp, AssignVariableOp); returns its id. */
  target(type: string, inputs: GraphInput[], attrs: AttrMap = {}, options: { name?: string; control?: number[] } = {}): number {
    return this.opAll(type, inputs, attrs, options).id;
  }

  /** Static shape of an output (-1 unknown dims), or null. */
  shape(out: GraphOutput): number[] | null {
    return this.graph.outputShape(out[0], out[1]);
  }

  /** A float32 constant. */
  constF(values: number | number[], shape?: number[]): GraphOutput {
    const data = Float32Array.from(Array.isArray(values) ? values : [values]);
    const s = shape ?? (Array.isArray(values) ? [values.length] : []);
    return this.op('Const', [], { dtype: 'float32', value: { __kind: 'tensor', value: { dtype: 'float32', shape: s, data } } }, { name: 'Const' });
  }

  /** An int32 constant. */
  constI(values: number | number[], shape?: number[]): GraphOutput {
    const data = Int32Array.from(Array.isArray(values) ? values : [values]);
    const s = shape ?? (Array.isArray(values) ? [values.length] : []);
    return this.op('Const', [], { dtype: 'int32', value: { __kind: 'tensor', value: { dtype: 'int32', shape: s, data } } }, { name: 'Const' });
  }

  /** A placeholder (`shape` null: unknown rank; -1: unknown dimension). */
  placeholder(name: string, dtype: GraphDtype, shape: number[] | null): GraphOutput {
    return this.op('Placeholder', [], { dtype, shape: attr.shape(shape) }, { name });
  }

  /** A resource variable with a read and an assign-from-feed. */
  variable(name: string, shape: number[], dtype: GraphDtype = 'float32'): GraphVariable {
    const unique = this.uniqueName(name);
    const handle = this.op('VarHandleOp', [], { dtype, shape: attr.shape(shape), shared_name: attr.string(unique), container: attr.string('') }, { name });
    const value = this.op('ReadVariableOp', [handle], { dtype }, { name: `${name}/read` });
    const assignFeed = this.placeholder(`${name}/init_value`, dtype, shape);
    const assignOp = this.target('AssignVariableOp', [handle, assignFeed], { dtype }, { name: `${name}/assign` });
    const v: GraphVariable = { name: unique, shape, dtype, handle, value, assignFeed, assignOp };
    this.variables.push(v);
    return v;
  }

  /** `AssignVariableOp(variable, value)`; returns the op id. */
  assign(v: GraphVariable, value: GraphOutput, control: number[] = []): number {
    return this.target('AssignVariableOp', [v.handle, value], { dtype: v.dtype }, { control, name: `${v.name.split('/').pop()}/update` });
  }

  /** Groups operations into one NoOp with control inputs. */
  group(name: string, ops: number[]): number {
    return this.target('NoOp', [], {}, { name, control: ops });
  }

  // Element-wise and reduction helpers (float32 unless stated).
  add(a: GraphOutput, b: GraphOutput): GraphOutput { return this.op('AddV2', [a, b], { T: 'float32' }); }
  sub(a: GraphOutput, b: GraphOutput): GraphOutput { return this.op('Sub', [a, b], { T: 'float32' }); }
  mul(a: GraphOutput, b: GraphOutput): GraphOutput { return this.op('Mul', [a, b], { T: 'float32' }); }
  div(a: GraphOutput, b: GraphOutput): GraphOutput { return this.op('RealDiv', [a, b], { T: 'float32' }); }
  neg(a: GraphOutput): GraphOutput { return this.op('Neg', [a], { T: 'float32' }); }
  square(a: GraphOutput): GraphOutput { return this.op('Square', [a], { T: 'float32' }); }
  sqrt(a: GraphOutput): GraphOutput { return this.op('Sqrt', [a], { T: 'float32' }); }
  abs(a: GraphOutput): GraphOutput { return this.op('Abs', [a], { T: 'float32' }); }
  pow(a: GraphOutput, b: GraphOutput): GraphOutput { return this.op('Pow', [a, b], { T: 'float32' }); }
  /** Sum over all axes of a tensor of known rank. */
  sumAll(a: GraphOutput): GraphOutput {
    const rank = this.shape(a)?.length ?? 0;
    return this.op('Sum', [a, this.constI(Array.from({ length: rank }, (_, i) => i))], { T: 'float32', Tidx: 'int32', keep_dims: false });
  }
  /** Mean over the given axes. */
  mean(a: GraphOutput, axes: number[], keepDims = false): GraphOutput {
    return this.op('Mean', [a, this.constI(axes)], { T: 'float32', Tidx: 'int32', keep_dims: keepDims });
  }
  cast(a: GraphOutput, from: GraphDtype, to: GraphDtype): GraphOutput {
    return this.op('Cast', [a], { SrcT: from, DstT: to, Truncate: false });
  }
  reshape(a: GraphOutput, shape: number[], dtype: GraphDtype = 'float32'): GraphOutput {
    return this.op('Reshape', [a, this.constI(shape)], { T: dtype, Tshape: 'int32' });
  }
}
