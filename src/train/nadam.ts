/**
 * Nadam (Adam with Nesterov momentum, Dozat 2016) as a TensorFlow.js Optimizer, following Keras 3's
 * `keras.optimizers.Nadam` exactly (momentum schedule `u_t = beta1 * (1 - 0.5 * 0.96^t)`):
 *
 *   m = m + (g - m)(1 - beta1);  v = v + (g^2 - v)(1 - beta2)
 *   mHat = u_{t+1} m / (1 - prod_{i<=t+1} u_i) + (1 - u_t) g / (1 - prod_{i<=t} u_i)
 *   vHat = v / (1 - beta2^t);    w = w - lr * mHat / (sqrt(vHat) + epsilon)
 *
 * tfjs has no Nadam. The class is created on first use (importing this module loads nothing).
 */
import type * as tfTypes from '@tensorflow/tfjs';
import { getTf } from '../backend.ts';

type NamedTensor = { name: string; tensor: tfTypes.Tensor };

/** Nadam hyper-parameters (Keras defaults). */
export interface NadamConfig {
  /** Learning rate. @default 0.001 */
  learningRate?: number;
  /** Decay of the first moment. @default 0.9 */
  beta1?: number;
  /** Decay of the second moment. @default 0.999 */
  beta2?: number;
  /** Added to sqrt(vHat). @default 1e-7 */
  epsilon?: number;
}

/** Defaults of {@link NadamConfig} (Keras 3). */
export const DEFAULT_NADAM: Required<NadamConfig> = { learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };

/** Keras' momentum schedule decay base. */
export const NADAM_SCHEDULE_DECAY = 0.96;

/** The momentum schedule `u_t = beta1 * (1 - 0.5 * 0.96^t)` (t counts from 1). */
export function nadamMomentum(beta1: number, t: number): number {
  return beta1 * (1 - 0.5 * Math.pow(NADAM_SCHEDULE_DECAY, t));
}

/** A Nadam optimizer instance (a tfjs Optimizer with a settable learning rate). */
export type NadamOptimizer = tfTypes.Optimizer & { learningRate: number; readonly uProduct: number };

type OptimizerCtor = new (config: Required<NadamConfig>) => NadamOptimizer;
let NadamClass: OptimizerCtor | undefined;

function defineNadam(): OptimizerCtor {
  const tf = getTf();
  class Nadam extends tf.Optimizer {
    static className = 'Nadam';
    learningRate: number;
    readonly beta1: number;
    readonly beta2: number;
    readonly epsilon: number;
    /** Product of the momentum schedule u_1 ... u_t (Keras `_u_product`). */
    uProduct = 1;
    private m: { originalName: string; variable: tfTypes.Variable }[] = [];
    private v: { originalName: string; variable: tfTypes.Variable }[] = [];

    constructor(config: Required<NadamConfig>) {
      super();
      this.learningRate = config.learningRate;
      this.beta1 = config.beta1;
      this.beta2 = config.beta2;
      this.epsilon = config.epsilon;
    }

    override applyGradients(variableGradients: tfTypes.NamedTensorMap | NamedTensor[]): void {
      const names = Array.isArray(variableGradients) ? variableGradients.map((g) => g.name) : Object.keys(variableGradients);
      const t = this.iterations + 1;
      const uT = nadamMomentum(this.beta1, t);
      const uT1 = nadamMomentum(this.beta1, t + 1);
      const uProductT = this.uProduct * uT;
      const uProductT1 = uProductT * uT1;
      const beta2Power = Math.pow(this.beta2, t);
      const engineVars = tf.engine().registeredVariables;
      names.forEach((name, i) => {
        const variable = engineVars[name]!;
        if (this.m[i] == null) {
          this.m[i] = { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(variable).variable(false)) };
          this.v[i] = { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(variable).variable(false)) };
        }
        const gradient = Array.isArray(variableGradients) ? variableGradients[i]!.tensor : variableGradients[name];
        if (gradient == null) return;
        const m = this.m[i]!.variable;
        const v = this.v[i]!.variable;
        tf.tidy(() => {
          const newM = tf.add(m, tf.mul(tf.sub(gradient, m), 1 - this.beta1));
          const newV = tf.add(v, tf.mul(tf.sub(tf.square(gradient), v), 1 - this.beta2));
          m.assign(newM);
          v.assign(newV);
          const mHat = tf.add(tf.div(tf.mul(newM, uT1), 1 - uProductT1), tf.div(tf.mul(gradient, 1 - uT), 1 - uProductT));
          const vHat = tf.div(newV, 1 - beta2Power);
          const update = tf.div(tf.mul(mHat, this.learningRate), tf.add(tf.sqrt(vHat), this.epsilon));
          variable.assign(tf.sub(variable, update));
        });
      });
      this.uProduct = uProductT;
      this.incrementIterations();
    }

    override dispose(): void {
      for (const s of [...this.m, ...this.v]) s.variable.dispose();
      this.m = [];
      this.v = [];
    }

    override async getWeights(): Promise<NamedTensor[]> {
      const uProduct = { name: 'u_product', tensor: tf.scalar(this.uProduct, 'float32') };
      return [await this.saveIterations(), uProduct, ...[...this.m, ...this.v].map((s) => ({ name: s.originalName, tensor: s.variable as tfTypes.Tensor }))];
    }

    override async setWeights(weightValues: NamedTensor[]): Promise<void> {
      let rest = await this.extractIterations(weightValues);
      const u = rest[0];
      if (u?.name !== 'u_product') throw new Error('Nadam.setWeights: expected u_product after the iteration count');
      this.uProduct = (await u.tensor.data())[0]!;
      rest = rest.slice(1);
      this.dispose();
      const half = rest.length / 2;
      this.m = rest.slice(0, half).map((w) => ({ originalName: w.name, variable: w.tensor.variable(false) }));
      this.v = rest.slice(half).map((w) => ({ originalName: w.name, variable: w.tensor.variable(false) }));
    }

    override getConfig(): tfTypes.serialization.ConfigDict {
      return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
    }

    static override fromConfig<T extends tfTypes.serialization.Serializable>(
      cls: tfTypes.serialization.SerializableConstructor<T>, config: tfTypes.serialization.ConfigDict): T {
      return new cls({ ...DEFAULT_NADAM, ...(config as NadamConfig) } as never);
    }
  }
  tf.serialization.registerClass(Nadam);
  return Nadam as unknown as OptimizerCtor;
}

/** Creates a Nadam optimizer (Keras 3 semantics); unset fields take {@link DEFAULT_NADAM}. */
export function createNadam(config: NadamConfig = {}): NadamOptimizer {
  NadamClass ??= defineNadam();
  const defined = Object.fromEntries(Object.entries(config).filter(([, v]) => v !== undefined));
  return new NadamClass({ ...DEFAULT_NADAM, ...defined });
}
