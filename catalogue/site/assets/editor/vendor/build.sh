#!/usr/bin/env bash
# Rebuild yaml.min.js: the npm package `yaml` (eemeli/yaml, ISC licence, LICENSE.yaml.txt) bundled
# for the browser as one IIFE that defines window.YAML. Run at development time only; the result
# is committed, so the site needs neither npm nor a CDN. Versions: see README.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
npm init -y >/dev/null
npm install --no-audit --no-fund yaml@2.9.1 esbuild@0.24 >/dev/null
echo 'export * from "yaml"; export { default } from "yaml";' > entry.mjs
npx esbuild entry.mjs --bundle --minify --format=iife --global-name=YAML --target=es2019 \
  --outfile="$here/yaml.min.js"
cp node_modules/yaml/LICENSE "$here/LICENSE.yaml.txt"
