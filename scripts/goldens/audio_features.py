"""Reference log-mel / MFCC features for tests/audio/golden.test.ts.

Reads the input WAVs made by scripts/goldens/make-audio-fixtures.ts and computes, in float64,
  * librosa.feature.melspectrogram (periodic Hann, pad_mode='constant') then ln(x + offset),
    MFCC as scipy.fft.dct(type=2, norm='ortho') of that log-mel (what librosa.feature.mfcc does);
  * tf.signal.stft + tf.signal.linear_to_mel_weight_matrix (HTK, triangles linear in mel)
    then ln(x + offset), and tf.signal.mfccs_from_log_mel_spectrograms.
Every 5th frame (and the last) is stored to keep the JSON small.

Run:  /work/venv/bin/python scripts/goldens/audio_features.py
Writes tests/fixtures/audio/features-golden.json
"""
import json
import os

import librosa
import numpy as np
import scipy.fft
import soundfile as sf
import tensorflow as tf

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(HERE, "..", "..", "tests", "fixtures", "audio")
FRAME_STEP = 5


def samples_of(ms, sr):
    # Same as keyspot's msToSamples: floor(sr * ms / 1000) (TensorFlow's int()).
    return int(np.floor(sr * ms / 1000 + 1e-9))


def next_pow2(n):
    p = 1
    while p < n:
        p *= 2
    return p


def resolve(o):
    sr = o["sampleRateHz"]
    win = samples_of(o["windowMs"], sr)
    hop = samples_of(o["strideMs"], sr)
    n_fft = o.get("nFft") or next_pow2(win)
    return dict(
        sr=sr, win=win, hop=hop, n_fft=n_fft, n_mels=o.get("nMels", 40),
        fmin=o.get("fMinHz", 20.0), fmax=o.get("fMaxHz", sr / 2),
        htk=o.get("melScale", "htk") == "htk", norm="slaney" if o.get("melNorm", "none") == "slaney" else None,
        power=float(o.get("power", 2)), offset=o.get("logOffset", 1e-6), center=o.get("center", False),
        mfcc=o.get("mfcc", 0), db=o.get("logScale", "natural") == "db",
    )


def librosa_features(y, o):
    r = resolve(o)
    y = y.astype(np.float64)
    if not r["center"] and r["win"] < r["n_fft"]:
        # librosa centres a short window inside each n_fft frame; pad so frame t windows y[t*hop : t*hop+win].
        lp = (r["n_fft"] - r["win"]) // 2
        y = np.concatenate([np.zeros(lp), y, np.zeros(r["n_fft"] - r["win"] - lp)])
    S = librosa.feature.melspectrogram(
        y=y, sr=r["sr"], n_fft=r["n_fft"], hop_length=r["hop"], win_length=r["win"], window="hann",
        center=r["center"], pad_mode="constant", power=r["power"], n_mels=r["n_mels"], fmin=r["fmin"],
        fmax=r["fmax"], htk=r["htk"], norm=r["norm"], dtype=np.float64)
    logmel = np.log(S + r["offset"]).T  # frames-major
    if r["db"]:
        logmel = 10.0 * np.log10(S + r["offset"]).T
    if r["mfcc"]:
        return scipy.fft.dct(logmel, type=2, norm="ortho", axis=-1)[:, : r["mfcc"]]
    return logmel


def tf_features(y, o):
    r = resolve(o)
    assert not r["center"] and r["htk"] and r["norm"] is None
    sig = tf.constant(y.astype(np.float64))
    stft = tf.signal.stft(sig, frame_length=r["win"], frame_step=r["hop"], fft_length=r["n_fft"],
                          window_fn=lambda n, dtype: tf.signal.hann_window(n, periodic=True, dtype=dtype), pad_end=False)
    spec = tf.abs(stft) ** r["power"]
    w = tf.signal.linear_to_mel_weight_matrix(num_mel_bins=r["n_mels"], num_spectrogram_bins=r["n_fft"] // 2 + 1,
                                              sample_rate=r["sr"], lower_edge_hertz=r["fmin"],
                                              upper_edge_hertz=r["fmax"], dtype=tf.float64)
    logmel = tf.math.log(tf.matmul(spec, w) + r["offset"])
    if r["mfcc"]:
        return tf.signal.mfccs_from_log_mel_spectrograms(logmel)[:, : r["mfcc"]].numpy()
    return logmel.numpy()


BASE = dict(sampleRateHz=16000, windowMs=30, strideMs=10, nMels=40, fMinHz=20, melScale="htk", melNorm="none",
            power=2, logOffset=1e-6, center=False)

LIBROSA_CONFIGS = {
    "default": {},
    "slaney-scale-norm-64-center": dict(melScale="slaney", melNorm="slaney", nMels=64, center=True),
    "power1-nfft1024-25ms-80mels-fmin0-center": dict(power=1, nFft=1024, windowMs=25, nMels=80, fMinHz=0, center=True),
    "16ms-8ms-32mels-slaney-fmax7600": dict(windowMs=16, strideMs=8, nMels=32, melScale="slaney", fMaxHz=7600),
    "htk-slaneynorm-20ms-hop-60-4000-center": dict(melNorm="slaney", strideMs=20, fMinHz=60, fMaxHz=4000, center=True),
    "db-offset1e-10": dict(logScale="db", logOffset=1e-10),
    "mfcc13": dict(mfcc=13),
    "mfcc20-slaney-center": dict(mfcc=20, melScale="slaney", melNorm="slaney", center=True),
}
LIBROSA_22K = {
    "22050-slaney-nfft1024": dict(sampleRateHz=22050, nFft=1024, melScale="slaney", melNorm="slaney"),
    "22050-htk-center": dict(sampleRateHz=22050, center=True, nMels=64),
}
TF_CONFIGS = {
    "tf-default": dict(melTriangleDomain="mel"),
    "tf-20-4000-power1": dict(melTriangleDomain="mel", fMaxHz=4000, power=1),
    "tf-25ms-80mels-fmin0": dict(melTriangleDomain="mel", windowMs=25, nMels=80, fMinHz=0, fMaxHz=7600),
    "tf-mfcc13": dict(melTriangleDomain="mel", mfcc=13),
}


def case(name, ref, signal, options, feats):
    n = feats.shape[0]
    idx = list(range(0, n, FRAME_STEP))
    if idx[-1] != n - 1:
        idx.append(n - 1)
    return dict(name=name, reference=ref, signal=signal, options=options, numFrames=int(n),
                numBins=int(feats.shape[1]), frameIndices=idx,
                values=[[float("%.9g" % v) for v in feats[i]] for i in idx])


def main():
    cases = []
    for signal in ["chirp.wav", "noise.wav", "speech.wav"]:
        y, sr = sf.read(os.path.join(FIXTURES, signal), dtype="float64")
        assert sr == 16000
        for name, extra in LIBROSA_CONFIGS.items():
            o = {**BASE, **extra}
            cases.append(case(name, "librosa", signal, o, librosa_features(y, o)))
        for name, extra in TF_CONFIGS.items():
            o = {**BASE, **extra}
            cases.append(case(name, "tf.signal", signal, o, tf_features(y, o)))
    y, sr = sf.read(os.path.join(FIXTURES, "speech-22050.wav"), dtype="float64")
    for name, extra in LIBROSA_22K.items():
        o = {**BASE, **extra}
        cases.append(case(name, "librosa", "speech-22050.wav", o, librosa_features(y, o)))
    out = dict(
        generator="scripts/goldens/audio_features.py",
        librosa=librosa.__version__, tensorflow=tf.__version__, numpy=np.__version__,
        note="values: frames-major rows at frameIndices; MFCC from tf.signal has coefficient 0 scaled by sqrt(2) vs orthonormal DCT-II",
        cases=cases,
    )
    path = os.path.join(FIXTURES, "features-golden.json")
    with open(path, "w") as f:
        json.dump(out, f, separators=(",", ":"))
    print(f"wrote {len(cases)} cases to {path}")


if __name__ == "__main__":
    main()
