#!/usr/bin/env bash
# Rebuilds the seed corpus in fuzz/seeds/ from the project's fixtures, so every fuzz run
# starts from real rule sentences, packs and evidence files. Run from anywhere.
set -euo pipefail
cd "$(dirname "$0")"
root=..
rm -rf seeds
mkdir -p seeds/rule_sentence seeds/pack_loader seeds/evidence_loader seeds/score_render \
  seeds/import_table seeds/case_file seeds/output_plan

# Rule sentences: the parser fixtures, and every sentence of the default pack.
for f in "$root"/tests/fixtures/parse/*.rule; do
  cp "$f" "seeds/rule_sentence/$(basename "$f" .rule)"
done
n=0
grep -h '^ *rule: ' "$root"/rules/cqc-la/*.yaml | sed 's/^ *rule: //' | while IFS= read -r sentence; do
  n=$((n + 1))
  printf '%s' "$sentence" > "seeds/rule_sentence/default-pack-$n"
done

# Packs: the one-file fixtures, and the default pack joined into one file.
for f in "$root"/tests/fixtures/packs/*.yaml "$root"/tests/fixtures/check/*.yaml \
  "$root"/tests/packs/*.yaml; do
  cp "$f" "seeds/pack_loader/$(basename "$(dirname "$f")")-$(basename "$f")"
done
{
  cat "$root"/rules/cqc-la/pack.yaml
  for f in "$root"/rules/cqc-la/*.yaml; do
    [ "$(basename "$f")" = pack.yaml ] && continue
    echo '---'
    cat "$f"
  done
} > seeds/pack_loader/default-pack.yaml

# Evidence: the fixtures (good and bad), the case evidence and the bundled examples.
for f in "$root"/tests/fixtures/evidence/*.yaml "$root"/tests/fixtures/cases/evidence/*.yaml \
  "$root"/tests/fixtures/diff/*-council.yaml "$root"/examples/*.yaml; do
  cp "$f" "seeds/evidence_loader/$(basename "$f")"
  cp "$f" "seeds/score_render/$(basename "$f")"
done
# The bundled examples as JSON too, for the JSON fast path (needs Python with PyYAML).
if python3 -c 'import yaml' 2>/dev/null; then
  for f in "$root"/examples/*.yaml; do
    python3 -c 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1])), indent=1, default=str))' \
      "$f" > "seeds/evidence_loader/$(basename "$f" .yaml).json"
  done
fi
# Tables to import: the importer's CSV fixtures, and the workbooks its tests write (run
# `cargo test --test import` first to have them).
cp "$root"/tests/fixtures/import/*.csv seeds/import_table/
for f in "$root"/target/tmp/import-*/*.xlsx; do
  [ -f "$f" ] && cp "$f" "seeds/import_table/$(basename "$(dirname "$f")")-$(basename "$f")"
done
# Case files: the fixtures (good, failing, broken and hostile) and the default pack's own.
for f in "$root"/tests/fixtures/cases/*/*.yaml "$root"/tests/fixtures/cases/pack/tests/*.yaml \
  "$root"/rules/cqc-la/tests/*.yaml; do
  cp "$f" "seeds/case_file/$(basename "$(dirname "$f")")-$(basename "$f")"
done
# Paths for -o: each byte picks a part of the scratch folder (see output_plan.rs).
i=0
for bytes in '\x00' '\x01' '\x04' '\x00\x01' '\x00\x03' '\x08' '\x09\x01' '\x08\x03' \
  '\x0a' '\x0b' '\x0d\x01' '\x06\x0e' '\x00\x0d\x00\x01' '\x07\x0d\x04' '\x01\x0e\x0e\x02'; do
  i=$((i + 1))
  printf "$bytes" > "seeds/output_plan/path-$i"
done
echo "seeds: $(find seeds -type f | wc -l) files"
