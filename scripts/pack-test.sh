#!/usr/bin/env bash
# Packed-tarball test: what a user gets from `npm i @fullon/core @fullon/<pkg>`.
#
# Builds every package, `pnpm pack`s core, tick, exchange and every other package whose
# src/index.ts exports something (empty skeletons are skipped and named), installs the tarballs
# alone into an empty project with npm, then:
#   1. runs a plain ESM script (no TypeScript, no build tool) against a throwaway redis-server:
#      imports every packed entry point, TickCache set/get, ExchangeCache, require() of the ESM
#      build (works on Node >= 20.19 / 22.12, else Node's ERR_REQUIRE_ESM — never a resolution error);
#   2. type-checks a file importing every packed package's public API with strict TypeScript
#      under `module: nodenext` and under `moduleResolution: bundler`;
#   3. runs publint (--strict) and `attw --profile esm-only` on every tarball.
# Exits non-zero on any failure. Temp dirs and the redis-server are removed on exit.
# Usage: bash scripts/pack-test.sh   (FULLON_PACK_TEST_KEEP=1 keeps the temp dir;
#        FULLON_PACK_TEST_SKIP_BUILD=1 packs the dist/ folders as they are)
set -euo pipefail
export TURBO_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1 FORCE_COLOR=0 NO_COLOR=1
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
started=$SECONDS
bin="$root/node_modules/.bin"

work=$(mktemp -d "${TMPDIR:-/tmp}/fullon-pack-test.XXXXXX")
redis_pid=""
stop_redis() {
  if [ -n "$redis_pid" ]; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
    redis_pid=""
  fi
}
cleanup() {
  stop_redis
  if [ "${FULLON_PACK_TEST_KEEP:-}" = 1 ]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
failures=()
fail() {
  failures+=("$1")
  echo "FAIL: $1"
}
step() { echo "== $* ($((SECONDS - started)) s)"; }

# ---------------------------------------------------------------------------------------------
# A package is packed when its src/index.ts exports anything beyond `export {};`.
has_exports() {
  grep -qvE '^\s*(//.*)?$|^export \{\s*\};?\s*$' "$1/src/index.ts"
}
packages=(core tick exchange)
skipped=()
for dir in packages/*/; do
  name=$(basename "$dir")
  case " ${packages[*]} " in *" $name "*) continue ;; esac
  if has_exports "$dir"; then packages+=("$name"); else skipped+=("$name"); fi
done
[ ${#skipped[@]} -gt 0 ] && echo "skipped (src/index.ts exports nothing yet): ${skipped[*]}"

step "build: ${packages[*]}"
filters=()
for name in "${packages[@]}"; do filters+=("--filter=@fullon/$name"); done
# --continue: one broken package is reported, and the others are still tested.
if [ "${FULLON_PACK_TEST_SKIP_BUILD:-}" = 1 ]; then
  echo "build skipped (FULLON_PACK_TEST_SKIP_BUILD=1)"
elif ! "$bin/turbo" run build --continue "${filters[@]}" --output-logs=errors-only 2>&1 |
  tee "$work/build.log"; then
  broken=$(sed -nE 's/^@fullon\/([a-z0-9-]+)#build: +ERROR.*/\1/p' "$work/build.log" | sort -u)
  [ -n "$broken" ] || broken=$(printf '%s\n' "${packages[@]}")
  kept=()
  for name in "${packages[@]}"; do
    if grep -qx "$name" <<<"$broken"; then fail "build @fullon/$name"; else kept+=("$name"); fi
  done
  packages=("${kept[@]}")
fi

# ---------------------------------------------------------------------------------------------
step "pack: ${packages[*]}"

mkdir -p "$work/tarballs" "$work/app"
for name in "${packages[@]}"; do
  (cd "packages/$name" && pnpm pack --pack-destination "$work/tarballs" >/dev/null)
done
tarballs=("$work"/tarballs/*.tgz)

# publishConfig.exports must be the exports map without the private condition (pnpm puts it in
# place at pack time), so a subpath added to one and not the other fails here.
for name in "${packages[@]}"; do
  node -e '
    const pkg = require(process.argv[1]);
    const strip = (entry) => Object.fromEntries(Object.entries(entry).filter(([c]) => c !== "@fullon/source"));
    const want = JSON.stringify(Object.fromEntries(Object.entries(pkg.exports).map(([k, e]) => [k, strip(e)])));
    if (JSON.stringify(pkg.publishConfig?.exports) !== want) process.exit(1);
  ' "$root/packages/$name/package.json" || fail "@fullon/$name: publishConfig.exports differs from exports without @fullon/source"
done

# The packed manifests: no private condition, no workspace: ranges.
for tgz in "${tarballs[@]}"; do
  manifest=$(tar -xzOf "$tgz" package/package.json)
  if grep -q '@fullon/source' <<<"$manifest"; then fail "$(basename "$tgz"): @fullon/source in the packed package.json"; fi
  if grep -q '"workspace:' <<<"$manifest"; then fail "$(basename "$tgz"): workspace: range in the packed package.json"; fi
  listing=$(tar -tzf "$tgz")
  for file in package/README.md package/LICENSE package/dist/index.js package/dist/index.d.ts; do
    grep -qx "$file" <<<"$listing" || fail "$(basename "$tgz"): no ${file#package/}"
  done
  if grep -qE '\.test\.ts$|\.test-d\.ts$|test-helpers\.ts$' <<<"$listing"; then
    fail "$(basename "$tgz"): ships test files"
  fi
done

# ---------------------------------------------------------------------------------------------
step "npm install the tarballs into an empty project"
cd "$work/app"
cat >package.json <<'EOF'
{ "name": "fullon-pack-test-app", "version": "0.0.0", "private": true, "type": "module" }
EOF
npm install --no-audit --no-fund --prefer-offline --loglevel=error "${tarballs[@]}" '@types/node@^20.19.0' >/dev/null

# Every entry point of every packed package, from its packed manifest (testing needs vitest).
entries=()
for name in "${packages[@]}"; do
  while IFS= read -r entry; do entries+=("$entry"); done < <(
    node -e '
      const pkg = require(process.argv[1]);
      for (const key of Object.keys(pkg.exports ?? { ".": null })) {
        const spec = key === "." ? pkg.name : pkg.name + key.slice(1);
        if (!spec.includes("/testing")) console.log(spec);
      }' "$work/app/node_modules/@fullon/$name/package.json"
  )
done
echo "entry points: ${entries[*]}"

# ---------------------------------------------------------------------------------------------
step "plain ESM against a throwaway redis-server"
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --loglevel warning >"$work/redis.log" 2>&1 &
redis_pid=$!
for _ in $(seq 1 100); do
  redis-cli -p "$port" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -p "$port" ping >/dev/null || { cat "$work/redis.log"; fail "redis-server did not start"; exit 1; }

printf '%s\n' "${entries[@]}" >entries.txt
cat >smoke.mjs <<'EOF'
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect, ValidationError } from '@fullon/core';
import { ExchangeCache } from '@fullon/exchange';
import { TickCache } from '@fullon/tick';

const fail = (message) => { throw new Error(`pack-test: ${message}`); };

// Every packed entry point loads under plain Node ESM and exports something.
for (const spec of readFileSync('entries.txt', 'utf8').split('\n').filter(Boolean)) {
  const mod = await import(spec);
  if (Object.keys(mod).length === 0) fail(`${spec} exports nothing`);
}

// require() of the ESM build: works where Node supports require(esm), else ERR_REQUIRE_ESM.
const require = createRequire(import.meta.url);
try {
  const core = require('@fullon/core');
  if (typeof core.connect !== 'function') fail('require("@fullon/core").connect');
} catch (error) {
  if (error?.code !== 'ERR_REQUIRE_ESM') throw error;
}

const conn = await connect({ url: process.env.REDIS_URL, prefix: 'pack-test' });
try {
  const ticks = new TickCache(conn);
  const time = Date.now();
  if (!(await ticks.setTicker({ symbol: 'BTC/USDT', exchange: 'binance', price: 64250.5, time }))) fail('setTicker');
  const tick = await ticks.getTicker('BTC/USDT', 'binance');
  if (tick?.price !== 64250.5 || tick.time !== time) fail(`getTicker returned ${JSON.stringify(tick)}`);
  if ((await ticks.getPrice('BTC/USDT', 'binance')) !== 64250.5) fail('getPrice');
  try {
    await ticks.setTicker({ symbol: 'BTC/USDT', exchange: 'binance', price: Number.NaN, time });
    fail('a NaN price was accepted');
  } catch (error) {
    if (!ValidationError.is(error)) throw error;
  }

  const exchanges = new ExchangeCache(conn);
  if ((await exchanges.getExchange(424242)) !== null) fail('getExchange of an unknown id');
  await exchanges.pushWsError(1, 'socket closed');
  if ((await exchanges.popWsError(1, { timeoutMs: 1000 })) !== 'socket closed') fail('popWsError');
  await conn.clear();
} finally {
  await conn.close();
}
console.log('ok');
EOF
REDIS_URL="redis://127.0.0.1:$port" node smoke.mjs || fail "plain ESM script"
stop_redis

if [ -f node_modules/@fullon/cli/package.json ]; then
  step "the fullon-cache command from the installed tarball"
  npx --no-install fullon-cache --help | grep -q 'fullon-cache' || fail "npx fullon-cache --help"
  npx --no-install fullon-cache --version >/dev/null || fail "npx fullon-cache --version"
fi

# ---------------------------------------------------------------------------------------------
step "strict TypeScript (nodenext, bundler) over every public entry point"
{
  i=0
  for spec in "${entries[@]}"; do
    echo "import * as api$i from '$spec';"
    i=$((i + 1))
  done
  cat <<'EOF'
import { type CacheConnectionLike, connect, FullonCacheError } from '@fullon/core';
import { ExchangeCache } from '@fullon/exchange';
import { type Tick, TickCache } from '@fullon/tick';

export async function use(url: string): Promise<number | null> {
  await using conn = await connect({ url });
  const like: CacheConnectionLike = conn;
  const ticks = new TickCache(like);
  const tick: Tick = { symbol: 'BTC/USDT', exchange: 'binance', price: 1, time: Date.now() };
  await ticks.setTicker(tick);
  const exchanges = new ExchangeCache(conn);
  await exchanges.getExchange(1);
  try {
    return await ticks.getPrice('BTC/USDT', 'binance');
  } catch (error) {
    if (FullonCacheError.is(error)) return null;
    throw error;
  }
}
EOF
  i=0
  for _ in "${entries[@]}"; do
    echo "export const keys$i: string[] = Object.keys(api$i);"
    i=$((i + 1))
  done
} >api.ts
for resolution in nodenext bundler; do
  if [ "$resolution" = nodenext ]; then module=nodenext; else module=esnext; fi
  cat >"tsconfig.$resolution.json" <<EOF
{
  "compilerOptions": {
    "strict": true,
    "exactOptionalPropertyTypes": true,
    "noUncheckedIndexedAccess": true,
    "target": "es2022",
    "lib": ["es2023", "esnext.disposable"],
    "module": "$module",
    "moduleResolution": "$resolution",
    "types": ["node"],
    "skipLibCheck": false,
    "noEmit": true
  },
  "files": ["api.ts"]
}
EOF
  "$bin/tsc" -p "tsconfig.$resolution.json" || fail "tsc --noEmit ($resolution)"
done

# ---------------------------------------------------------------------------------------------
step "publint and attw on every tarball"
cd "$root"
# Four checks at a time: each is a Node process that mostly waits on its own start-up.
mkdir -p "$work/checks"
checks=()
for tgz in "${tarballs[@]}"; do
  name=$(basename "$tgz" .tgz)
  for tool in publint attw; do
    while [ "$(jobs -rp | wc -l)" -ge 4 ]; do wait -n || true; done
    (
      if [ "$tool" = publint ]; then
        "$bin/publint" run --strict "$tgz"
      else
        "$bin/attw" "$tgz" --profile esm-only --format ascii --no-color
      fi >"$work/checks/$name.$tool.log" 2>&1
      echo $? >"$work/checks/$name.$tool.status"
    ) &
    checks+=($!)
  done
done
wait "${checks[@]}"
for tgz in "${tarballs[@]}"; do
  name=$(basename "$tgz" .tgz)
  for tool in publint attw; do
    if [ "$(cat "$work/checks/$name.$tool.status")" != 0 ]; then
      cat "$work/checks/$name.$tool.log"
      fail "$tool $name"
    fi
  done
  echo "  $name: publint and attw done"
done

# ---------------------------------------------------------------------------------------------
if [ ${#failures[@]} -gt 0 ]; then
  echo "pack-test: ${#failures[@]} failure(s) in $((SECONDS - started)) s:"
  printf '  - %s\n' "${failures[@]}"
  exit 1
fi
echo "pack-test: ok — ${packages[*]} in $((SECONDS - started)) s"
