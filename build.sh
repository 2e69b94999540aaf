#!/usr/bin/env bash
# build.sh — build, serve and test nasplay.
#   ./build.sh serve   build the WebAssembly and the site, serve it on http://127.0.0.1:8080
#   ./build.sh test    vet, native tests, brief fuzzing, js/wasm build and tests, browser tests
#   ./build.sh site    only build the site into site/
set -euo pipefail
cd "$(dirname "$0")"

GOROOT_DIR=$(go env GOROOT)

site() {
	mkdir -p site/assets
	cp assets/*.msgpack site/assets/
	local wasmexec="$GOROOT_DIR/lib/wasm/wasm_exec.js"
	[ -f "$wasmexec" ] || wasmexec="$GOROOT_DIR/misc/wasm/wasm_exec.js"
	cp "$wasmexec" site/wasm_exec.js
	if [ -d wasm ]; then
		for main in wasm/*/main.go; do
			[ -f "$main" ] || continue
			local name; name=$(basename "$(dirname "$main")")
			GOOS=js GOARCH=wasm go build -trimpath -ldflags="-s -w" -o "site/$name.wasm" "./wasm/$name"
		done
	fi
	# The charts' static layers (gonum/plot, rendered natively) and the sizes
	# the page's loading bar counts against.
	go run ./cmd/nasplay site plots --out site/plots >/dev/null
	local sizes="" f
	for f in app.wasm assets/tables.msgpack assets/indicators.msgpack; do
		if [ -f "site/$f" ]; then sizes="$sizes${sizes:+, }\"$f\": $(stat -c %s "site/$f")"; fi
	done
	echo "{\"sizes\": {$sizes}}" >site/build.json
}

if [ $# -gt 1 ]; then
	echo "build.sh: one command, not: $*" >&2
	exit 2
fi

case "${1:-}" in
serve)
	addr=${ADDR:-127.0.0.1:8080}
	# A busy port is found before the build, not after it.
	if (exec 3<>"/dev/tcp/${addr%:*}/${addr##*:}") 2>/dev/null; then
		echo "build.sh: something already listens on $addr; stop it, or serve elsewhere: ADDR=127.0.0.1:8081 ./build.sh serve" >&2
		exit 1
	fi
	site
	# The server replaces this shell (exec of a built binary, not go run's
	# child), so stopping this process, by Ctrl-C or kill, stops the server.
	bin="${TMPDIR:-/tmp}/nasplay-serve"
	go build -o "$bin" ./cmd/nasplay
	exec "$bin" serve --addr "$addr" --dir site
	;;
site)
	site
	;;
test)
	go vet ./...
	GOOS=js GOARCH=wasm go vet ./engine/... ./wasm/...
	go test ./...
	# Brief fuzzing of every parser of outside input, a few seconds each.
	# The budgets are counts, not durations: Go 1.26's fuzz coordinator can
	# fail a target with a bare "context deadline exceeded" when a -fuzztime
	# duration runs out on a loaded machine (go.dev/issue/75804, fixed in 1.27).
	go test -run '^$' -fuzz '^FuzzParse$' -fuzztime 500000x ./engine/space
	go test -run '^$' -fuzz '^FuzzDecode$' -fuzztime 300000x ./engine/tables
	go test -run '^$' -fuzz '^FuzzDecodeTable$' -fuzztime 250000x ./engine/scores
	go test -run '^$' -fuzz '^FuzzQuery$' -fuzztime 15000x ./wasm/play
	go test -run '^$' -fuzz '^FuzzLengths$' -fuzztime 200000x ./engine/msgcheck
	site
	# The engine's tests under js/wasm, in Node.
	PATH="$GOROOT_DIR/lib/wasm:$PATH" GOOS=js GOARCH=wasm go test ./engine/... ./wasm/play
	# Browser tests (chromedp, headless Chromium) run against the built site.
	# Every test's name and result, and the MEASURED and screenshot lines.
	# They take about 4 minutes; a loaded CI machine must not hit go test's
	# default 10-minute limit.
	NASPLAY_BROWSER_TESTS=1 go test -count=1 -timeout 30m -v ./browsertest/ 2>&1
	;;
-h | --help | help)
	sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
	;;
*)
	sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
	;;
esac
