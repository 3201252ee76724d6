#!/usr/bin/env bash
# Trains the concern word model (daemon/safeguarding/word_model.h) from the
# labelled development cases and writes daemon/safeguarding/concern_model.tsv.
# Run it after changing the cases, the phrases or the concepts, rebuild, and
# commit the model with them (a test fails while the model was trained on
# other files than those in the tree). Prints what cross-validation measured
# and what each file scores with a model trained on the others.
#
#   scripts/train-concern-model.sh [concern-train options: --flagged 0.04 ...]
#
# tests/data/safeguarding_heldout.tsv and safeguarding_third_*.tsv are never
# trained on: they measure the result (ConcernHeldOut in
# tests/concern_heldout_eval_test.cc).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build --target concern-train >/dev/null
# The model is trained with the phrases and concepts of this tree; an old
# model in the binary does not matter (Read does not use it).
exec build/concern-train --out daemon/safeguarding/concern_model.tsv --flagged 0.04 "$@" \
  tests/data/concern_cases.tsv tests/data/safeguarding_dev_en.tsv tests/data/safeguarding_dev_pl.tsv \
  tests/data/safeguarding_dev_ur.tsv tests/data/safeguarding_dev2_en.tsv \
  tests/data/safeguarding_dev2_pl.tsv tests/data/safeguarding_dev2_ur.tsv
