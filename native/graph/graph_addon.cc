// keyspot graph addon: a thin, generic N-API wrapper over the TensorFlow C graph API.
//
// It knows nothing about models. JavaScript builds a TF_Graph op by op (typed attributes,
// inputs, control inputs), asks for symbolic gradients, opens a session and runs it with typed
// arrays in and out. Everything model-specific lives in TypeScript (src/graph/*).
//
// JavaScript API (see src/graph/addon.ts for the typed declaration):
//   new Graph()
//   graph.addOperation(type, name, inputs, attrs, controlInputs) -> op id
//       inputs: [[opId, outputIndex] | {list: [[opId, outputIndex], ...]}, ...]
//       attrs:  [{name, kind, value}, ...] with kind one of
//               type, types, int, ints, float, floats, bool, string, shape, tensor
//   graph.numOutputs(opId) -> number
//   graph.outputDtype(opId, index) -> TF_DataType code
//   graph.outputShape(opId, index) -> number[] (-1 unknown) | null (unknown rank)
//   graph.addGradients(prefix, ys, xs, dys | null) -> [[opId, index], ...]
//   new Session(graph, {intraOpThreads, interOpThreads})
//   session.run(feeds, fetches, targets) -> [{dtype, shape, data}, ...]
//       feeds:   [{op, index, dtype, shape, data: TypedArray}, ...]
//       fetches: [[opId, index], ...]; targets: [opId, ...]
//   session.close()
//   TF_Version: string
#include <napi.h>

#include <cstring>
#include <string>
#include <vector>

#include "tensorflow/c/c_api.h"

namespace {

struct StatusHolder {
  TF_Status* s = TF_NewStatus();
  ~StatusHolder() { TF_DeleteStatus(s); }
  bool ok() const { return TF_GetCode(s) == TF_OK; }
  std::string message() const { return TF_Message(s); }
};

// Dtype names used on the JavaScript side.
TF_DataType DtypeFromName(const std::string& name, bool* ok) {
  *ok = true;
  if (name == "float32") return TF_FLOAT;
  if (name == "int32") return TF_INT32;
  if (name == "int64") return TF_INT64;
  if (name == "bool") return TF_BOOL;
  if (name == "uint8") return TF_UINT8;
  if (name == "resource") return TF_RESOURCE;
  *ok = false;
  return TF_FLOAT;
}

const char* DtypeName(TF_DataType t) {
  switch (t) {
    case TF_FLOAT: return "float32";
    case TF_INT32: return "int32";
    case TF_INT64: return "int64";
    case TF_BOOL: return "bool";
    case TF_UINT8: return "uint8";
    case TF_RESOURCE: return "resource";
    default: return "unsupported";
  }
}

std::vector<int64_t> ReadDims(const Napi::Env& env, const Napi::Value& v, const char* what) {
  if (!v.IsArray()) throw Napi::TypeError::New(env, std::string(what) + ": expected an array of integers");
  Napi::Array a = v.As<Napi::Array>();
  std::vector<int64_t> dims(a.Length());
  for (uint32_t i = 0; i < a.Length(); i++) {
    Napi::Value d = a.Get(i);
    if (!d.IsNumber()) throw Napi::TypeError::New(env, std::string(what) + ": expected integers");
    dims[i] = d.As<Napi::Number>().Int64Value();
  }
  return dims;
}

// Copies a typed array into a newly allocated TF_Tensor of the given dtype and shape.
TF_Tensor* TensorFromTypedArray(const Napi::Env& env, TF_DataType dtype, const std::vector<int64_t>& dims,
                                const Napi::Value& data, const std::string& what) {
  if (!data.IsTypedArray()) throw Napi::TypeError::New(env, what + ": data must be a typed array");
  Napi::TypedArray ta = data.As<Napi::TypedArray>();
  size_t elemSize = TF_DataTypeSize(dtype);
  int64_t count = 1;
  for (int64_t d : dims) {
    if (d < 0) throw Napi::RangeError::New(env, what + ": shape must be fully known");
    count *= d;
  }
  size_t bytes = static_cast<size_t>(count) * elemSize;
  if (ta.ByteLength() != bytes) {
    throw Napi::RangeError::New(env, what + ": expected " + std::to_string(bytes) + " bytes (" +
                                         std::to_string(count) + " " + DtypeName(dtype) + " values), got " +
                                         std::to_string(ta.ByteLength()));
  }
  TF_Tensor* t = TF_AllocateTensor(dtype, dims.data(), static_cast<int>(dims.size()), bytes);
  if (bytes > 0) {
    const uint8_t* src = static_cast<const uint8_t*>(ta.ArrayBuffer().Data()) + ta.ByteOffset();
    std::memcpy(TF_TensorData(t), src, bytes);
  }
  return t;
}

// Copies a TF_Tensor into a new typed array of the matching type.
Napi::Value TypedArrayFromTensor(const Napi::Env& env, TF_Tensor* t) {
  TF_DataType dtype = TF_TensorType(t);
  size_t bytes = TF_TensorByteSize(t);
  Napi::ArrayBuffer buf = Napi::ArrayBuffer::New(env, bytes);
  if (bytes > 0) std::memcpy(buf.Data(), TF_TensorData(t), bytes);
  switch (dtype) {
    case TF_FLOAT: return Napi::Float32Array::New(env, bytes / 4, buf, 0);
    case TF_INT32: return Napi::Int32Array::New(env, bytes / 4, buf, 0);
    case TF_INT64: return Napi::BigInt64Array::New(env, bytes / 8, buf, 0);
    case TF_BOOL:
    case TF_UINT8: return Napi::Uint8Array::New(env, bytes, buf, 0);
    default: throw Napi::TypeError::New(env, std::string("cannot fetch a tensor of dtype ") + DtypeName(dtype));
  }
}

class Graph : public Napi::ObjectWrap<Graph> {
 public:
  static Napi::FunctionReference* constructor;

  static Napi::Function Init(Napi::Env env) {
    Napi::Function fn = DefineClass(env, "Graph", {
      InstanceMethod("addOperation", &Graph::AddOperation),
      InstanceMethod("numOutputs", &Graph::NumOutputs),
      InstanceMethod("outputDtype", &Graph::OutputDtype),
      InstanceMethod("outputShape", &Graph::OutputShape),
      InstanceMethod("addGradients", &Graph::AddGradients),
      InstanceAccessor("numOperations", &Graph::NumOperations, nullptr),
    });
    constructor = new Napi::FunctionReference(Napi::Persistent(fn));
    return fn;
  }

  explicit Graph(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Graph>(info), graph_(TF_NewGraph()) {}
  ~Graph() override { TF_DeleteGraph(graph_); }

  TF_Graph* graph() const { return graph_; }

  TF_Operation* Op(const Napi::Env& env, const Napi::Value& v) const {
    if (!v.IsNumber()) throw Napi::TypeError::New(env, "operation id must be a number");
    int64_t id = v.As<Napi::Number>().Int64Value();
    if (id < 0 || id >= static_cast<int64_t>(ops_.size())) {
      throw Napi::RangeError::New(env, "unknown operation id " + std::to_string(id));
    }
    return ops_[static_cast<size_t>(id)];
  }

  TF_Output Output(const Napi::Env& env, const Napi::Value& v) const {
    if (!v.IsArray() || v.As<Napi::Array>().Length() != 2) {
      throw Napi::TypeError::New(env, "an output must be [operationId, outputIndex]");
    }
    Napi::Array a = v.As<Napi::Array>();
    TF_Operation* op = Op(env, a.Get(0u));
    int index = a.Get(1u).As<Napi::Number>().Int32Value();
    if (index < 0 || index >= TF_OperationNumOutputs(op)) {
      throw Napi::RangeError::New(env, std::string("operation ") + TF_OperationName(op) + " has no output " +
                                           std::to_string(index));
    }
    return TF_Output{op, index};
  }

  std::vector<TF_Output> Outputs(const Napi::Env& env, const Napi::Value& v) const {
    if (!v.IsArray()) throw Napi::TypeError::New(env, "expected an array of outputs");
    Napi::Array a = v.As<Napi::Array>();
    std::vector<TF_Output> outs;
    outs.reserve(a.Length());
    for (uint32_t i = 0; i < a.Length(); i++) outs.push_back(Output(env, a.Get(i)));
    return outs;
  }

  Napi::Value WrapOutputs(const Napi::Env& env, const std::vector<TF_Output>& outs) {
    Napi::Array result = Napi::Array::New(env, outs.size());
    for (size_t i = 0; i < outs.size(); i++) {
      Napi::Array pair = Napi::Array::New(env, 2);
      pair.Set(0u, Napi::Number::New(env, static_cast<double>(IdOf(outs[i].oper))));
      pair.Set(1u, Napi::Number::New(env, outs[i].index));
      result.Set(static_cast<uint32_t>(i), pair);
    }
    return result;
  }

 private:
  int64_t IdOf(TF_Operation* op) {
    for (size_t i = ops_.size(); i-- > 0;) {
      if (ops_[i] == op) return static_cast<int64_t>(i);
    }
    ops_.push_back(op);  // created by TF_AddGradients
    return static_cast<int64_t>(ops_.size() - 1);
  }

  Napi::Value NumOperations(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), static_cast<double>(ops_.size()));
  }

  void SetAttr(const Napi::Env& env, TF_OperationDescription* desc, const Napi::Object& attr,
               const std::string& opName) {
    std::string name = attr.Get("name").As<Napi::String>().Utf8Value();
    std::string kind = attr.Get("kind").As<Napi::String>().Utf8Value();
    Napi::Value value = attr.Get("value");
    const std::string where = "operation " + opName + ", attribute " + name;
    bool ok = true;
    if (kind == "type") {
      TF_DataType t = DtypeFromName(value.As<Napi::String>().Utf8Value(), &ok);
      if (!ok) throw Napi::TypeError::New(env, where + ": unknown dtype");
      TF_SetAttrType(desc, name.c_str(), t);
    } else if (kind == "types") {
      Napi::Array a = value.As<Napi::Array>();
      std::vector<TF_DataType> ts(a.Length());
      for (uint32_t i = 0; i < a.Length(); i++) {
        ts[i] = DtypeFromName(a.Get(i).As<Napi::String>().Utf8Value(), &ok);
        if (!ok) throw Napi::TypeError::New(env, where + ": unknown dtype");
      }
      TF_SetAttrTypeList(desc, name.c_str(), ts.data(), static_cast<int>(ts.size()));
    } else if (kind == "int") {
      TF_SetAttrInt(desc, name.c_str(), value.As<Napi::Number>().Int64Value());
    } else if (kind == "ints") {
      std::vector<int64_t> v = ReadDims(env, value, where.c_str());
      TF_SetAttrIntList(desc, name.c_str(), v.data(), static_cast<int>(v.size()));
    } else if (kind == "float") {
      TF_SetAttrFloat(desc, name.c_str(), value.As<Napi::Number>().FloatValue());
    } else if (kind == "floats") {
      Napi::Array a = value.As<Napi::Array>();
      std::vector<float> v(a.Length());
      for (uint32_t i = 0; i < a.Length(); i++) v[i] = a.Get(i).As<Napi::Number>().FloatValue();
      TF_SetAttrFloatList(desc, name.c_str(), v.data(), static_cast<int>(v.size()));
    } else if (kind == "bool") {
      TF_SetAttrBool(desc, name.c_str(), value.As<Napi::Boolean>().Value() ? 1 : 0);
    } else if (kind == "string") {
      std::string s = value.As<Napi::String>().Utf8Value();
      TF_SetAttrString(desc, name.c_str(), s.data(), s.size());
    } else if (kind == "shape") {
      if (value.IsNull()) {
        TF_SetAttrShape(desc, name.c_str(), nullptr, -1);
      } else {
        std::vector<int64_t> dims = ReadDims(env, value, where.c_str());
        TF_SetAttrShape(desc, name.c_str(), dims.data(), static_cast<int>(dims.size()));
      }
    } else if (kind == "tensor") {
      Napi::Object t = value.As<Napi::Object>();
      TF_DataType dtype = DtypeFromName(t.Get("dtype").As<Napi::String>().Utf8Value(), &ok);
      if (!ok) throw Napi::TypeError::New(env, where + ": unknown dtype");
      std::vector<int64_t> dims = ReadDims(env, t.Get("shape"), where.c_str());
      TF_Tensor* tensor = TensorFromTypedArray(env, dtype, dims, t.Get("data"), where);
      StatusHolder status;
      TF_SetAttrTensor(desc, name.c_str(), tensor, status.s);
      TF_DeleteTensor(tensor);
      if (!status.ok()) throw Napi::Error::New(env, where + ": " + status.message());
    } else {
      throw Napi::TypeError::New(env, where + ": unknown attribute kind " + kind);
    }
  }

  Napi::Value AddOperation(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (info.Length() < 5) throw Napi::TypeError::New(env, "addOperation(type, name, inputs, attrs, controlInputs)");
    std::string type = info[0].As<Napi::String>().Utf8Value();
    std::string name = info[1].As<Napi::String>().Utf8Value();
    TF_OperationDescription* desc = TF_NewOperation(graph_, type.c_str(), name.c_str());
    // Errors after TF_NewOperation must still finish (and so free) the description.
    std::string error;
    try {
      Napi::Array inputs = info[2].As<Napi::Array>();
      for (uint32_t i = 0; i < inputs.Length(); i++) {
        Napi::Value in = inputs.Get(i);
        if (in.IsArray()) {
          TF_AddInput(desc, Output(env, in));
        } else {
          std::vector<TF_Output> list = Outputs(env, in.As<Napi::Object>().Get("list"));
          TF_AddInputList(desc, list.data(), static_cast<int>(list.size()));
        }
      }
      Napi::Array attrs = info[3].As<Napi::Array>();
      for (uint32_t i = 0; i < attrs.Length(); i++) SetAttr(env, desc, attrs.Get(i).As<Napi::Object>(), name);
      Napi::Array controls = info[4].As<Napi::Array>();
      for (uint32_t i = 0; i < controls.Length(); i++) TF_AddControlInput(desc, Op(env, controls.Get(i)));
    } catch (const Napi::Error& e) {
      error = e.Message();
    }
    StatusHolder status;
    TF_Operation* op = TF_FinishOperation(desc, status.s);
    if (!error.empty()) throw Napi::Error::New(env, error);
    if (!status.ok()) {
      throw Napi::Error::New(env, "cannot add operation " + type + " '" + name + "': " + status.message());
    }
    ops_.push_back(op);
    return Napi::Number::New(env, static_cast<double>(ops_.size() - 1));
  }

  Napi::Value NumOutputs(const Napi::CallbackInfo& info) {
    return Napi::Number::New(info.Env(), TF_OperationNumOutputs(Op(info.Env(), info[0])));
  }

  Napi::Value OutputDtype(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    TF_Output out{Op(env, info[0]), info[1].As<Napi::Number>().Int32Value()};
    return Napi::String::New(env, DtypeName(TF_OperationOutputType(out)));
  }

  Napi::Value OutputShape(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    Napi::Array pair = Napi::Array::New(env, 2);
    pair.Set(0u, info[0]);
    pair.Set(1u, info[1]);
    TF_Output out = Output(env, pair);
    StatusHolder status;
    int rank = TF_GraphGetTensorNumDims(graph_, out, status.s);
    if (!status.ok()) throw Napi::Error::New(env, status.message());
    if (rank < 0) return env.Null();
    std::vector<int64_t> dims(static_cast<size_t>(rank));
    TF_GraphGetTensorShape(graph_, out, dims.data(), rank, status.s);
    if (!status.ok()) throw Napi::Error::New(env, status.message());
    Napi::Array result = Napi::Array::New(env, dims.size());
    for (size_t i = 0; i < dims.size(); i++) result.Set(static_cast<uint32_t>(i), Napi::Number::New(env, static_cast<double>(dims[i])));
    return result;
  }

  Napi::Value AddGradients(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    std::string prefix = info[0].As<Napi::String>().Utf8Value();
    std::vector<TF_Output> ys = Outputs(env, info[1]);
    std::vector<TF_Output> xs = Outputs(env, info[2]);
    std::vector<TF_Output> dxs;
    bool haveDx = info.Length() > 3 && !info[3].IsNull() && !info[3].IsUndefined();
    if (haveDx) {
      dxs = Outputs(env, info[3]);
      if (dxs.size() != ys.size()) throw Napi::RangeError::New(env, "addGradients: dys must match ys in length");
    }
    std::vector<TF_Output> dy(xs.size());
    StatusHolder status;
    TF_AddGradientsWithPrefix(graph_, prefix.c_str(), ys.data(), static_cast<int>(ys.size()), xs.data(),
                              static_cast<int>(xs.size()), haveDx ? dxs.data() : nullptr, status.s, dy.data());
    if (!status.ok()) throw Napi::Error::New(env, "TF_AddGradients failed: " + status.message());
    for (size_t i = 0; i < dy.size(); i++) {
      if (dy[i].oper == nullptr) {
        throw Napi::Error::New(env, "TF_AddGradients: no gradient path to input " + std::to_string(i));
      }
    }
    return WrapOutputs(env, dy);
  }

  TF_Graph* graph_;
  std::vector<TF_Operation*> ops_;
};

Napi::FunctionReference* Graph::constructor = nullptr;

class Session : public Napi::ObjectWrap<Session> {
 public:
  static Napi::Function Init(Napi::Env env) {
    return DefineClass(env, "Session", {
      InstanceMethod("run", &Session::Run),
      InstanceMethod("close", &Session::Close),
    });
  }

  explicit Session(const Napi::CallbackInfo& info) : Napi::ObjectWrap<Session>(info) {
    Napi::Env env = info.Env();
    if (info.Length() < 1 || !info[0].IsObject() ||
        !info[0].As<Napi::Object>().InstanceOf(Graph::constructor->Value())) {
      throw Napi::TypeError::New(env, "new Session(graph, options): graph must be a Graph");
    }
    graph_ = Graph::Unwrap(info[0].As<Napi::Object>());
    graphRef_ = Napi::Persistent(info[0].As<Napi::Object>());
    TF_SessionOptions* opts = TF_NewSessionOptions();
    if (info.Length() > 1 && info[1].IsObject()) {
      Napi::Object o = info[1].As<Napi::Object>();
      // ConfigProto: field 2 intra_op_parallelism_threads, field 5 inter_op_parallelism_threads (varints).
      std::vector<uint8_t> proto;
      auto addVarintField = [&proto](uint8_t tag, uint32_t v) {
        proto.push_back(tag);
        do {
          uint8_t b = v & 0x7f;
          v >>= 7;
          proto.push_back(v ? (b | 0x80) : b);
        } while (v);
      };
      if (o.Has("intraOpThreads") && o.Get("intraOpThreads").IsNumber()) {
        addVarintField(0x10, o.Get("intraOpThreads").As<Napi::Number>().Uint32Value());
      }
      if (o.Has("interOpThreads") && o.Get("interOpThreads").IsNumber()) {
        addVarintField(0x28, o.Get("interOpThreads").As<Napi::Number>().Uint32Value());
      }
      if (!proto.empty()) {
        StatusHolder status;
        TF_SetConfig(opts, proto.data(), proto.size(), status.s);
        if (!status.ok()) {
          TF_DeleteSessionOptions(opts);
          throw Napi::Error::New(env, "TF_SetConfig: " + status.message());
        }
      }
    }
    StatusHolder status;
    session_ = TF_NewSession(graph_->graph(), opts, status.s);
    TF_DeleteSessionOptions(opts);
    if (!status.ok()) throw Napi::Error::New(env, "TF_NewSession: " + status.message());
  }

  ~Session() override { CloseSession(); }

 private:
  void CloseSession() {
    if (session_ == nullptr) return;
    StatusHolder status;
    TF_CloseSession(session_, status.s);
    TF_DeleteSession(session_, status.s);
    session_ = nullptr;
  }

  Napi::Value Close(const Napi::CallbackInfo& info) {
    CloseSession();
    graphRef_.Reset();
    return info.Env().Undefined();
  }

  Napi::Value Run(const Napi::CallbackInfo& info) {
    Napi::Env env = info.Env();
    if (session_ == nullptr) throw Napi::Error::New(env, "the session is closed");
    Napi::Array feedsJs = info[0].As<Napi::Array>();
    std::vector<TF_Output> feedOuts;
    std::vector<TF_Tensor*> feedTensors;
    auto freeFeeds = [&feedTensors]() {
      for (TF_Tensor* t : feedTensors) TF_DeleteTensor(t);
      feedTensors.clear();
    };
    std::vector<TF_Output> fetches;
    std::vector<TF_Operation*> targets;
    try {
      for (uint32_t i = 0; i < feedsJs.Length(); i++) {
        Napi::Object f = feedsJs.Get(i).As<Napi::Object>();
        Napi::Array pair = Napi::Array::New(env, 2);
        pair.Set(0u, f.Get("op"));
        pair.Set(1u, f.Get("index"));
        TF_Output out = graph_->Output(env, pair);
        bool ok = true;
        TF_DataType dtype = DtypeFromName(f.Get("dtype").As<Napi::String>().Utf8Value(), &ok);
        if (!ok) throw Napi::TypeError::New(env, "feed " + std::to_string(i) + ": unknown dtype");
        std::vector<int64_t> dims = ReadDims(env, f.Get("shape"), "feed shape");
        feedTensors.push_back(TensorFromTypedArray(env, dtype, dims, f.Get("data"),
                                                   std::string("feed of ") + TF_OperationName(out.oper)));
        feedOuts.push_back(out);
      }
      fetches = graph_->Outputs(env, info[1]);
      Napi::Array targetsJs = info[2].As<Napi::Array>();
      for (uint32_t i = 0; i < targetsJs.Length(); i++) targets.push_back(graph_->Op(env, targetsJs.Get(i)));
    } catch (...) {
      freeFeeds();
      throw;
    }
    std::vector<TF_Tensor*> results(fetches.size(), nullptr);
    StatusHolder status;
    TF_SessionRun(session_, nullptr, feedOuts.data(), feedTensors.data(), static_cast<int>(feedOuts.size()),
                  fetches.data(), results.data(), static_cast<int>(fetches.size()), targets.data(),
                  static_cast<int>(targets.size()), nullptr, status.s);
    freeFeeds();
    if (!status.ok()) {
      for (TF_Tensor* t : results) if (t) TF_DeleteTensor(t);
      throw Napi::Error::New(env, "TF_SessionRun: " + status.message());
    }
    Napi::Array out = Napi::Array::New(env, results.size());
    for (size_t i = 0; i < results.size(); i++) {
      TF_Tensor* t = results[i];
      Napi::Object r = Napi::Object::New(env);
      r.Set("dtype", Napi::String::New(env, DtypeName(TF_TensorType(t))));
      Napi::Array shape = Napi::Array::New(env, TF_NumDims(t));
      for (int d = 0; d < TF_NumDims(t); d++) shape.Set(static_cast<uint32_t>(d), Napi::Number::New(env, static_cast<double>(TF_Dim(t, d))));
      r.Set("shape", shape);
      try {
        r.Set("data", TypedArrayFromTensor(env, t));
      } catch (...) {
        for (TF_Tensor* u : results) if (u) TF_DeleteTensor(u);
        throw;
      }
      out.Set(static_cast<uint32_t>(i), r);
    }
    for (TF_Tensor* t : results) TF_DeleteTensor(t);
    return out;
  }

  Graph* graph_ = nullptr;
  Napi::ObjectReference graphRef_;
  TF_Session* session_ = nullptr;
};

Napi::Object InitAll(Napi::Env env, Napi::Object exports) {
  exports.Set("Graph", Graph::Init(env));
  exports.Set("Session", Session::Init(env));
  exports.Set("TF_Version", Napi::String::New(env, TF_Version()));
  return exports;
}

}  // namespace

NODE_API_MODULE(keyspot_graph, InitAll)
