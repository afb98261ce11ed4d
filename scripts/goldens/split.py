#!/usr/bin/env python3
"""Golden file for src/data/split.ts: TensorFlow's which_set() on real Speech Commands file names.

which_set() below is copied from tensorflow/examples/speech_commands/input_data.py (TF 2.x),
with tf.compat.as_bytes replaced by its UTF-8 encoding (identical for these ASCII names).
File names come from the official v0.01 validation/testing lists (themselves made by which_set
with 10/10) and the word folders of the sample; run:

    /work/venv/bin/python scripts/goldens/split.py [SPEECH_COMMANDS_V0.01_DIR]

It writes tests/fixtures/split-golden.json.
"""
import hashlib
import json
import os
import random
import re
import sys

MAX_NUM_WAVS_PER_CLASS = 2**27 - 1  # ~134M


def which_set(filename, validation_percentage, testing_percentage):
    base_name = os.path.basename(filename)
    hash_name = re.sub(r'_nohash_.*$', '', base_name)
    hash_name_hashed = hashlib.sha1(hash_name.encode('utf-8')).hexdigest()
    percentage_hash = ((int(hash_name_hashed, 16) % (MAX_NUM_WAVS_PER_CLASS + 1)) *
                       (100.0 / MAX_NUM_WAVS_PER_CLASS))
    if percentage_hash < validation_percentage:
        result = 'validation'
    elif percentage_hash < (testing_percentage + validation_percentage):
        result = 'testing'
    else:
        result = 'training'
    return result


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else '/work/shared/datasets/speech_commands_v0.01_sample300'
    rng = random.Random(59185)
    names = []
    for list_name in ('validation_list.txt', 'testing_list.txt'):
        with open(os.path.join(root, list_name)) as f:
            lines = [l.strip() for l in f if l.strip()]
        names += rng.sample(lines, 300)
    for word in sorted(os.listdir(root)):
        d = os.path.join(root, word)
        if os.path.isdir(d):
            names += [f'{word}/{n}' for n in sorted(os.listdir(d)) if n.endswith('.wav')]
    names = sorted(set(names))
    combos = [(10, 10), (5, 15), (20, 10), (0, 0), (50, 50)]
    out = {
        'source': 'scripts/goldens/split.py (TensorFlow speech_commands input_data.which_set)',
        'combos': [
            {'validation': v, 'testing': t, 'sets': [which_set(n, v, t) for n in names]}
            for v, t in combos
        ],
        'names': names,
    }
    dest = os.path.join(os.path.dirname(__file__), '..', '..', 'tests', 'fixtures', 'split-golden.json')
    with open(dest, 'w') as f:
        json.dump(out, f, separators=(',', ':'))
    print(f'wrote {len(names)} names x {len(combos)} settings to {os.path.normpath(dest)}')


if __name__ == '__main__':
    main()
