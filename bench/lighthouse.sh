#!/usr/bin/env bash
# Lighthouse (mobile) on the pages a resident opens first, against the release
# build with the demo data: prints performance, accessibility and best-practices
# scores and the bytes each page made the browser download. Not a test.
# Usage: bench/lighthouse.sh   (after .ci/build release)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x target/release/cocrea ] || { echo "build first: .ci/build release" >&2; exit 1; }
if [ ! -x bench/node_modules/.bin/lighthouse ]; then
  (cd bench && npm ci --no-audit --no-fund --silent)
fi
dir=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$dir"' EXIT
target/release/cocrea --database-url "sqlite://$dir/cocrea.db" serve --addr 127.0.0.1:0 --seed-demo \
  --mail-dir "$dir/mail" --files-dir "$dir/files" > "$dir/out" 2> "$dir/log" &
server=$!
for _ in $(seq 1 100); do grep -q "listening on" "$dir/out" 2>/dev/null && break; sleep 0.2; done
base=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$dir/out" | head -1)
slug=$(node -e 'console.log(require("./seeds/demo.json").processes[0].slug)')
sheet=$(curl -s "$base/processes/$slug" | grep -o '/commitments/[0-9]*' | head -1)
printf '| page | performance | accessibility | best practices | LCP ms | TBT ms | bytes |\n|---|---:|---:|---:|---:|---:|---:|\n'
for page in / "/processes/$slug/proposals" /proposals/1 /roundtables/1/board "$sheet"; do
  CHROME_PATH=/usr/bin/chromium bench/node_modules/.bin/lighthouse "$base$page" --quiet \
    --only-categories=performance,accessibility,best-practices --output=json --output-path="$dir/lh.json" \
    --chrome-flags="--headless --no-sandbox --disable-gpu" >/dev/null 2>&1 || { echo "| $page | lighthouse failed | | | | | |"; continue; }
  node -e '
    const r = require(process.argv[1]); const c = r.categories, a = r.audits;
    const s = (k) => Math.round(c[k].score * 100);
    console.log(`| ${process.argv[2]} | ${s("performance")} | ${s("accessibility")} | ${s("best-practices")} | ` +
      `${Math.round(a["largest-contentful-paint"].numericValue)} | ${Math.round(a["total-blocking-time"].numericValue)} | ` +
      `${Math.round(a["total-byte-weight"].numericValue)} |`);' "$dir/lh.json" "$page"
done
