/**
 * A minimal Protocol Buffers writer for the ONNX messages keyspot emits (ModelProto, GraphProto,
 * NodeProto, AttributeProto, TensorProto, ValueInfoProto). Field numbers follow `onnx.proto3`
 * of the ONNX project; only the fields keyspot needs are written.
 */

/** ONNX tensor element types (TensorProto.DataType). */
export const ONNX_DTYPE = { FLOAT: 1, INT32: 6, INT64: 7 } as const;

/** ONNX attribute kinds (AttributeProto.AttributeType). */
const ATTR_TYPE = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

const WIRE_VARINT = 0;
const WIRE_FIXED32 = 5;
const WIRE_LEN = 2;

/** Appends protobuf fields to a growing byte buffer. */
export class ProtoWriter {
  private chunks: Uint8Array[] = [];
  private scratch: number[] = [];
  private length = 0;

  private flushScratch(): void {
    if (this.scratch.length === 0) return;
    const bytes = Uint8Array.from(this.scratch);
    this.chunks.push(bytes);
    this.length += bytes.length;
    this.scratch = [];
  }

  private varint(value: number | bigint): void {
    // int64 semantics: negative values are written as 10-byte two's complement.
    let v = BigInt.asUintN(64, BigInt(value));
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      this.scratch.push(byte);
    } while (v !== 0n);
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  /** Writes an int32/int64/enum field (varint). */
  int(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    this.varint(value);
    return this;
  }

  /** Writes a float field (fixed32, little-endian). */
  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const buf = new DataView(new ArrayBuffer(4));
    buf.setFloat32(0, value, true);
    for (let i = 0; i < 4; i++) this.scratch.push(buf.getUint8(i));
    return this;
  }

  /** Writes a length-delimited bytes field. */
  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LEN);
    this.varint(value.length);
    this.flushScratch();
    this.chunks.push(value);
    this.length += value.length;
    return this;
  }

  /** Writes a UTF-8 string field. */
  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** Writes an embedded message field. */
  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytes(field, inner.finish());
  }

  /** Writes a packed repeated varint field. */
  packedInts(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.bytes(field, inner.finish());
  }

  /** Writes a packed repeated float field. */
  packedFloats(field: number, values: readonly number[]): this {
    return this.bytes(field, new Uint8Array(new Float32Array(values).buffer));
  }

  /** The bytes written so far. */
  finish(): Uint8Array {
    this.flushScratch();
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const c of this.chunks) {
      out.set(c, offset);
      offset += c.length;
    }
    return out;
  }
}

/** An ONNX node attribute value. */
export type OnnxAttribute =
  | { kind: 'int'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'ints'; value: readonly number[] }
  | { kind: 'floats'; value: readonly number[] };

/** One ONNX graph node. */
export interface OnnxNode {
  opType: string;
  name: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: Readonly<Record<string, OnnxAttribute>>;
}

/** A constant tensor (initializer): float32 or int64 values, row-major. */
export interface OnnxInitializer {
  name: string;
  dims: readonly number[];
  data: Float32Array | BigInt64Array;
}

/** A graph input or output: float32 with a shape whose unknown dimensions are named. */
export interface OnnxValueInfo {
  name: string;
  /** Dimension sizes; a string is a symbolic dimension (e.g. the batch size `N`). */
  shape: readonly (number | string)[];
}

/** Everything that goes into an ONNX file. */
export interface OnnxModelSpec {
  graphName: string;
  nodes: readonly OnnxNode[];
  initializers: readonly OnnxInitializer[];
  inputs: readonly OnnxValueInfo[];
  outputs: readonly OnnxValueInfo[];
  /** Opset of the default (ai.onnx) domain. */
  opsetVersion: number;
  /** ONNX IR version. */
  irVersion: number;
  producerName: string;
  producerVersion: string;
  docString?: string;
  /** Free-form key/value metadata (ModelProto.metadata_props). */
  metadata?: Readonly<Record<string, string>>;
}

function writeAttribute(w: ProtoWriter, name: string, attr: OnnxAttribute): void {
  w.string(1, name);
  switch (attr.kind) {
    case 'int':
      w.int(3, attr.value).int(20, ATTR_TYPE.INT);
      break;
    case 'float':
      w.float(2, attr.value).int(20, ATTR_TYPE.FLOAT);
      break;
    case 'string':
      w.string(4, attr.value).int(20, ATTR_TYPE.STRING);
      break;
    case 'ints':
      w.packedInts(8, attr.value).int(20, ATTR_TYPE.INTS);
      break;
    case 'floats':
      w.packedFloats(7, attr.value).int(20, ATTR_TYPE.FLOATS);
      break;
    default:
      throw new Error(`unknown attribute kind ${(attr as { kind: string }).kind}`);
  }
}

function writeTensor(w: ProtoWriter, t: OnnxInitializer): void {
  if (t.dims.length > 0) w.packedInts(1, t.dims);
  w.int(2, t.data instanceof Float32Array ? ONNX_DTYPE.FLOAT : ONNX_DTYPE.INT64);
  w.string(8, t.name);
  // raw_data is little-endian; copy so a view into a larger buffer is written correctly.
  const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  w.bytes(9, bytes.slice());
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.string(1, v.name);
  w.message(2, (type) => type.message(1, (tensor) => {
    tensor.int(1, ONNX_DTYPE.FLOAT);
    tensor.message(2, (shape) => {
      for (const d of v.shape) {
        shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
      }
    });
  }));
}

/** Serialises an ONNX model to protobuf bytes (an `.onnx` file). */
export function encodeOnnxModel(spec: OnnxModelSpec): Uint8Array {
  const w = new ProtoWriter();
  w.int(1, spec.irVersion);
  w.string(2, spec.producerName);
  w.string(3, spec.producerVersion);
  if (spec.docString) w.string(6, spec.docString);
  w.message(7, (g) => {
    for (const n of spec.nodes) {
      g.message(1, (nw) => {
        for (const i of n.inputs) nw.string(1, i);
        for (const o of n.outputs) nw.string(2, o);
        nw.string(3, n.name);
        nw.string(4, n.opType);
        for (const [name, attr] of Object.entries(n.attributes ?? {})) nw.message(5, (aw) => writeAttribute(aw, name, attr));
      });
    }
    g.string(2, spec.graphName);
    for (const t of spec.initializers) g.message(5, (tw) => writeTensor(tw, t));
    for (const v of spec.inputs) g.message(11, (vw) => writeValueInfo(vw, v));
    for (const v of spec.outputs) g.message(12, (vw) => writeValueInfo(vw, v));
  });
  w.message(8, (op) => op.string(1, '').int(2, spec.opsetVersion));
  for (const [key, value] of Object.entries(spec.metadata ?? {})) {
    w.message(14, (m) => m.string(1, key).string(2, value));
  }
  return w.finish();
}
