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

case "${1:-}" in
serve)
	site
	go run ./cmd/nasplay serve --addr "${ADDR:-127.0.0.1:8080}" --dir site
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
	site
	# The engine's tests under js/wasm, in Node.
	PATH="$GOROOT_DIR/lib/wasm:$PATH" GOOS=js GOARCH=wasm go test ./engine/... ./wasm/play
	# Browser tests (chromedp, headless Chromium) run against the built site.
	NASPLAY_BROWSER_TESTS=1 go test -count=1 -v ./browsertest/ 2>&1 | tail -n 80
	;;
*)
	sed -n '2,5p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
	;;
esac
