#!/usr/bin/env bash
# Refreshes the GraphiQL assets that `cmnp` embeds, from the npm packages pinned in
# tests/browser/package.json (graphiql, react, react-dom): change the versions there, run
# `npm ci --prefix tests/browser`, then this script, then the version constants in
# crates/server/src/graphiql.rs. The files are kept gzipped (`-n`: no name or time, so the
# same package gives the same bytes); the browser test checks that they unpack to the
# packages' own files.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
modules="$here/../../../../tests/browser/node_modules"
pack() {
    gzip -9nc "$modules/$1" >"$here/$2.gz"
}
pack graphiql/graphiql.min.js graphiql.min.js
pack graphiql/graphiql.min.css graphiql.min.css
pack react/umd/react.production.min.js react.production.min.js
pack react-dom/umd/react-dom.production.min.js react-dom.production.min.js
